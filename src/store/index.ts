export type { Store } from './kv-store.js';
export { memoryStore } from './memory-store.js';
export { fileStore, StoreCorruptError, StoreReadError, StoreWriteError, type FileStore, type FileStoreOptions } from './file-store.js';
export type {
  RunStore,
  RunRecord,
  RunStatus,
  RunUpdate,
  NewRun,
  Lease,
  LeaseResult,
  JournalAppend,
  JournalEntry,
  DeadLetter,
} from './run-store.js';
export { memoryRunStore } from './memory-run-store.js';
export { openSqliteRunStore, type SqliteRunStoreOptions } from './sqlite-run-store.js';
export { openRedisRunStore, type RedisRunStoreOptions } from './redis-run-store.js';
export { openRunStore, defaultRunStorePath, type OpenRunStoreOptions } from './open-run-store.js';
export { RunNotFoundError, RunExistsError, StoreClosedError, StoreSchemaError, StoreUnavailableError } from './errors.js';
