import type { Tool } from '../types.js';
import { bashTool } from './bash.js';
import { editTool } from './edit.js';
import { globTool } from './glob.js';
import { grepTool } from './grep.js';
import { readTool } from './read.js';
import { webFetchTool } from './web-fetch.js';
import { workspaceAt } from './workspace.js';
import { writeTool } from './write.js';

/** What `claudeCodeTools` takes. */
export interface ClaudeCodeToolsOptions {
  /** The folder the file tools are confined to, and Bash's working folder; relative paths resolve against it. */
  readonly root: string;
  /** Bash's timeout when a call gives none, in ms. Default 120 000. */
  readonly bashTimeoutMs?: number;
}

/** The names of Claude Code's built-in tools that `claudeCodeTools` provides. */
export const CLAUDE_CODE_TOOL_NAMES = ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash', 'WebFetch'] as const;

/**
 * Claude Code's built-in tools with its argument shapes, so agent files written for Claude Code
 * (`tools: Read, Grep, Glob`) run with the tools they declare: `Read`, `Glob`, `Grep` and `WebFetch`
 * (read-only), `Write`, `Edit`, `Bash` and `WebFetch` (`sideEffects: true`: offered only to agents granted them,
 * e.g. by naming them in their `tools` list; never to an agent without a list). File paths, absolute
 * or relative, must stay inside `root`: `..`, other absolute paths and symlinks leading out are
 * refused with an error result.
 *
 * @example
 * ```ts
 * import { createRuntime, claudeCodeTools } from 'taskforce';
 *
 * const runtime = await createRuntime({ agentsDir: '.claude/agents', tools: claudeCodeTools({ root: process.cwd() }) });
 * // or: createRuntime({ agentsDir: '.claude/agents', workspace: { root: process.cwd() } })
 * ```
 */
export function claudeCodeTools(options: ClaudeCodeToolsOptions): Tool[] {
  const workspace = workspaceAt(options.root);
  return [
    readTool(workspace),
    writeTool(workspace),
    editTool(workspace),
    globTool(workspace),
    grepTool(workspace),
    bashTool(workspace, options.bashTimeoutMs !== undefined ? { timeoutMs: options.bashTimeoutMs } : {}),
    webFetchTool(),
  ] as Tool[];
}

export { WorkspaceToolError, workspaceAt, type Workspace } from './workspace.js';
export { globToRegExp } from './glob-pattern.js';
export { htmlToText } from './web-fetch.js';

/**
 * The runtime's tool list with a workspace: `tools` first, then each Claude Code tool whose name
 * none of `tools` takes (your own `Read` wins over the built-in one).
 */
export function withClaudeCodeTools(tools: readonly Tool[], workspace: ClaudeCodeToolsOptions | undefined): readonly Tool[] {
  if (workspace === undefined) return tools;
  const taken = new Set(tools.map((tool) => tool.name));
  return [...tools, ...claudeCodeTools(workspace).filter((tool) => !taken.has(tool.name))];
}
