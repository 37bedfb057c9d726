import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Folders no search descends into: version control and dependencies. */
const SKIPPED = new Set(['.git', 'node_modules']);

/**
 * Every file under `dir` (symlinks are not followed, so a search never leaves the workspace),
 * as absolute paths, in name order.
 */
export async function walkFiles(dir: string, signal?: AbortSignal): Promise<string[]> {
  const files: string[] = [];
  const visit = async (current: string) => {
    signal?.throwIfAborted();
    const entries = await readdir(current, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) await visit(full);
      } else if (entry.isFile()) files.push(full);
    }
  };
  await visit(dir);
  return files;
}
