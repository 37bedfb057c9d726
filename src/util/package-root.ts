import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Our name on the npm registry (the command stays `taskforce`). */
export const PACKAGE_NAME = 'taskforce-agents';

/**
 * Absolute path inside the taskforce package (e.g. `packagePath('prompts', 'planner.md')`), found by
 * walking up to our package.json, so it works from `src/` under tsx/vitest and from `dist/src/`.
 * Only the CLI uses it (its version, the demo's files); the library embeds its prompts and agents.
 */
export function packagePath(...segments: string[]): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return join(dir, ...segments);
      } catch {
        // not ours; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`taskforce: cannot find the package root (package.json named "${PACKAGE_NAME}")`);
    dir = parent;
  }
}
