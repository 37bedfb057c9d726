import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import type { Tool } from '../types.js';
import { globToRegExp } from './glob-pattern.js';
import { walkFiles } from './walk.js';
import { WorkspaceToolError, type Workspace } from './workspace.js';

/** The most paths one Glob call returns. */
export const GLOB_MAX_RESULTS = 1000;

const GlobInput = z.object({
  pattern: z.string().describe('The glob to match, e.g. "**/*.ts" or "src/{a,b}/*.md"'),
  path: z.string().optional().describe('The folder to search in (default: the workspace root)'),
});

/**
 * Claude Code's `Glob`: the files under a folder whose path (relative to that folder) matches the
 * pattern (`**`, `*`, `?`, `{a,b}`, `[abc]`), newest first. Read-only; skips `.git` and `node_modules`.
 */
export function globTool(workspace: Workspace): Tool<z.output<typeof GlobInput>, string> {
  return defineTool({
    name: 'Glob',
    description:
      'Finds files in the workspace by glob pattern ("**/*.ts", "src/**/*.{js,ts}"), matched against paths relative ' +
      'to `path` (default the workspace root). Returns absolute paths, most recently modified first.',
    input: GlobInput,
    execute: async ({ pattern, path: dir }, { signal }) => {
      const base = await workspace.resolve(dir ?? '.');
      const info = await stat(base).catch(() => undefined);
      if (!info?.isDirectory()) throw new WorkspaceToolError(`"${dir ?? '.'}" is not a folder`);
      const regex = globToRegExp(pattern.replace(/^\.\//, ''));
      const files = (await walkFiles(base, signal)).filter((file) => regex.test(path.relative(base, file).split(path.sep).join('/')));
      if (files.length === 0) return 'No files found';
      const dated = await Promise.all(files.map(async (file) => ({ file, mtime: (await stat(file)).mtimeMs })));
      dated.sort((a, b) => b.mtime - a.mtime || (a.file < b.file ? -1 : 1));
      const shown = dated.slice(0, GLOB_MAX_RESULTS).map((entry) => entry.file);
      const more = dated.length - shown.length;
      return shown.join('\n') + (more > 0 ? `\n(${more} more files not shown; use a narrower pattern)` : '');
    },
  });
}
