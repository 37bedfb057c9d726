import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import type { Tool } from '../types.js';
import { WorkspaceToolError, type Workspace } from './workspace.js';

/** Lines read when the call gives no `limit`, and the longest line shown whole (as in Claude Code). */
export const READ_DEFAULT_LIMIT = 2000;
const MAX_LINE = 2000;

const ReadInput = z.object({
  file_path: z.string().describe('The file to read: absolute, or relative to the workspace root'),
  offset: z.number().int().positive().optional().describe('The line number to start reading from (1 = the first line)'),
  limit: z.number().int().positive().optional().describe(`How many lines to read (default ${READ_DEFAULT_LIMIT})`),
});

/**
 * The numbered lines `cat -n` prints: the line number right-aligned in 6 columns, a tab, the line.
 * `offset` is the first line's number (1-based).
 */
export function numberLines(text: string, offset = 1, limit = READ_DEFAULT_LIMIT): string {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines
    .slice(offset - 1, offset - 1 + limit)
    .map((line, i) => `${String(offset + i).padStart(6)}\t${line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… [line cut]` : line}`)
    .join('\n');
}

/** Claude Code's `Read`: a text file's lines, numbered as `cat -n` prints them. Read-only. */
export function readTool(workspace: Workspace): Tool<z.output<typeof ReadInput>, string> {
  return defineTool({
    name: 'Read',
    description:
      'Reads a text file in the workspace and returns its lines numbered like `cat -n` (number, tab, line). ' +
      `Reads up to ${READ_DEFAULT_LIMIT} lines from the start unless offset (first line, 1-based) and limit are given.`,
    input: ReadInput,
    execute: async ({ file_path, offset, limit }) => {
      const file = await workspace.resolve(file_path);
      const info = await stat(file).catch(() => undefined);
      if (!info) throw new WorkspaceToolError(`file "${file_path}" does not exist`);
      if (info.isDirectory()) throw new WorkspaceToolError(`"${file_path}" is a directory; use Glob to list its files`);
      const text = await readFile(file, 'utf8');
      if (text === '') return `(file "${file_path}" is empty)`;
      const numbered = numberLines(text, offset ?? 1, limit ?? READ_DEFAULT_LIMIT);
      return numbered === '' ? `(file "${file_path}" has fewer than ${offset ?? 1} lines)` : numbered;
    },
  });
}
