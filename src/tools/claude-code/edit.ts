import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import type { Tool } from '../types.js';
import { WorkspaceToolError, type Workspace } from './workspace.js';

const EditInput = z.object({
  file_path: z.string().describe('The file to change: absolute, or relative to the workspace root'),
  old_string: z.string().describe('The exact text to replace; must occur exactly once unless replace_all'),
  new_string: z.string().describe('The text to put in its place'),
  replace_all: z.boolean().optional().describe('Replace every occurrence of old_string (default false)'),
});

/** Counts the non-overlapping occurrences of `needle` in `text`. */
function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

/**
 * Claude Code's `Edit`: replaces `old_string` with `new_string` in a file. Fails when `old_string` is
 * absent, or occurs more than once without `replace_all`, so an edit never lands in the wrong place.
 * Side-effecting.
 */
export function editTool(workspace: Workspace): Tool<z.output<typeof EditInput>, string> {
  return defineTool({
    name: 'Edit',
    description:
      'Replaces exact text in a file of the workspace. old_string must occur exactly once (give more surrounding ' +
      'context to make it unique), or set replace_all to replace every occurrence.',
    input: EditInput,
    sideEffects: true,
    execute: async ({ file_path, old_string, new_string, replace_all }) => {
      if (old_string === '') throw new WorkspaceToolError('old_string is empty; use Write to create a file');
      if (old_string === new_string) throw new WorkspaceToolError('old_string and new_string are the same; nothing to change');
      const file = await workspace.resolve(file_path);
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? new WorkspaceToolError(`file "${file_path}" does not exist`) : error;
      });
      const count = occurrences(text, old_string);
      if (count === 0) throw new WorkspaceToolError(`old_string was not found in ${file_path}`);
      if (count > 1 && replace_all !== true)
        throw new WorkspaceToolError(
          `old_string occurs ${count} times in ${file_path}; add surrounding context to make it unique, or set replace_all to replace all ${count}`,
        );
      // split/join: a replacement containing `$&` must be inserted literally.
      await writeFile(file, text.split(old_string).join(new_string), 'utf8');
      return `Edited ${file_path}: replaced ${count} occurrence${count === 1 ? '' : 's'}`;
    },
  });
}
