import type { JournalAppend } from './run-store.js';

/**
 * Encodes each entry's data as JSON before anything is written, so one entry that is not plain JSON
 * (a BigInt, a cycle) fails the whole batch. `undefined` data is stored as `null`.
 */
export function encodeEntries(runId: string, entries: readonly JournalAppend[]): string[] {
  return entries.map((entry, index) => {
    try {
      return JSON.stringify(entry.data) ?? 'null';
    } catch (error) {
      throw new TypeError(
        `cannot append to run ${JSON.stringify(runId)}: entry ${index} (kind ${JSON.stringify(entry.kind)}, key ${JSON.stringify(entry.key)}) ` +
          `has data that is not plain JSON: ${(error as Error).message}. Nothing was appended`,
        { cause: error },
      );
    }
  });
}
