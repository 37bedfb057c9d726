import { createHash } from 'node:crypto';

/** The fields of a stored journal row that its checksum covers (data as the stored JSON text). */
export interface ChecksummedRow {
  readonly runId: string;
  readonly seq: number;
  readonly kind: string;
  readonly path: string;
  readonly key: string;
  readonly data: string;
  readonly at: number;
}

/**
 * sha256 of the row's fields (JSON-encoded as an array, so no field can run into the next). It covers
 * run id and seq too, so a row copied to another place does not verify either. sha256 rather than
 * zlib.crc32, which older Node 20 releases lack.
 */
export function journalChecksum(row: ChecksummedRow): string {
  return createHash('sha256')
    .update(JSON.stringify([row.runId, row.seq, row.kind, row.path, row.key, row.at, row.data]))
    .digest('hex');
}
