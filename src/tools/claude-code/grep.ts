import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import type { Tool } from '../types.js';
import { globToRegExp } from './glob-pattern.js';
import { walkFiles } from './walk.js';
import { WorkspaceToolError, type Workspace } from './workspace.js';

/** The most result lines one Grep call returns unless `head_limit` says otherwise. */
export const GREP_MAX_LINES = 1000;

const GrepInput = z.object({
  pattern: z.string().describe('A regular expression (JavaScript syntax) to search file contents for'),
  path: z.string().optional().describe('The file or folder to search (default: the workspace root)'),
  glob: z.string().optional().describe('Only files whose path matches this glob, e.g. "*.ts" or "src/**/*.md"'),
  output_mode: z
    .enum(['content', 'files_with_matches', 'count'])
    .optional()
    .describe('"content": matching lines; "files_with_matches" (default): file paths; "count": matches per file'),
  '-i': z.boolean().optional().describe('Ignore case'),
  '-n': z.boolean().optional().describe('Show line numbers (content mode)'),
  head_limit: z.number().int().positive().optional().describe('Return at most this many lines or files'),
});

/**
 * Claude Code's `Grep`: searches file contents with a regular expression, in plain Node (no ripgrep).
 * Read-only; skips binary files, `.git` and `node_modules`.
 */
export function grepTool(workspace: Workspace): Tool<z.output<typeof GrepInput>, string> {
  return defineTool({
    name: 'Grep',
    description:
      'Searches the contents of files in the workspace with a regular expression. output_mode "files_with_matches" ' +
      '(default) lists matching files, "content" the matching lines (path:line, with -n path:number:line), "count" ' +
      'matches per file. Filter files with glob; -i ignores case.',
    input: GrepInput,
    execute: async (input, { signal }) => {
      let regex: RegExp;
      try {
        regex = new RegExp(input.pattern, input['-i'] === true ? 'i' : '');
      } catch (error) {
        throw new WorkspaceToolError(`pattern is not a valid regular expression: ${(error as Error).message}`);
      }
      const target = await workspace.resolve(input.path ?? '.');
      const info = await stat(target).catch(() => undefined);
      if (!info) throw new WorkspaceToolError(`"${input.path}" does not exist`);
      const base = info.isDirectory() ? target : path.dirname(target);
      const filter = input.glob !== undefined ? globToRegExp(input.glob, { matchBase: true }) : undefined;
      const files = info.isDirectory() ? await walkFiles(target, signal) : [target];
      const mode = input.output_mode ?? 'files_with_matches';
      const limit = input.head_limit ?? GREP_MAX_LINES;
      const out: string[] = [];
      let truncated = false;
      for (const file of files) {
        if (filter && !filter.test(path.relative(base, file).split(path.sep).join('/'))) continue;
        const buffer = await readFile(file);
        if (buffer.includes(0)) continue; // binary
        const lines = buffer.toString('utf8').split(/\r?\n/);
        const hits = lines.flatMap((line, i) => (regex.test(line) ? [i] : []));
        if (hits.length === 0) continue;
        const shown = mode === 'content' ? hits.map((i) => `${file}:${input['-n'] === true ? `${i + 1}:` : ''}${lines[i]}`) : [mode === 'count' ? `${file}:${hits.length}` : file];
        for (const line of shown) {
          if (out.length >= limit) truncated = true;
          else out.push(line);
        }
        if (truncated) break;
      }
      if (out.length === 0) return 'No matches found';
      return out.join('\n') + (truncated ? `\n(results cut at ${limit}; narrow the search or raise head_limit)` : '');
    },
  });
}
