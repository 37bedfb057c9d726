import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import type { Tool } from '../types.js';
import { WorkspaceToolError, type Workspace } from './workspace.js';

const WriteInput = z.object({
  file_path: z.string().describe('The file to write: absolute, or relative to the workspace root'),
  content: z.string().describe('The whole new content of the file'),
});

/** Claude Code's `Write`: creates or replaces a file (and its folders). Side-effecting. */
export function writeTool(workspace: Workspace): Tool<z.output<typeof WriteInput>, string> {
  return defineTool({
    name: 'Write',
    description: 'Writes a file in the workspace, replacing it if it exists and creating missing folders.',
    input: WriteInput,
    sideEffects: true,
    execute: async ({ file_path, content }) => {
      const file = await workspace.resolve(file_path);
      const before = await stat(file).catch(() => undefined);
      if (before?.isDirectory()) throw new WorkspaceToolError(`"${file_path}" is a directory`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content, 'utf8');
      return `${before ? 'Updated' : 'Created'} ${file_path} (${content.length} characters)`;
    },
  });
}
