export { withCassette } from './with-cassette.js';
export type { CassetteOptions } from './with-cassette.js';
export { CassetteMissError, CassetteFileError } from './errors.js';
export { CASSETTE_SCHEMA_VERSION, CassetteEntry, CassetteHeader, CassetteResponse } from './format.js';
export { readCassette, readCassetteHeader, writeCassette, parseCassette, type Cassette } from './file.js';
export { canonicalJson, requestHash, recordableRequest } from './hash.js';
export { cassetteEntry } from './entry.js';
