import type { AgentDefinition } from './types.js';
import type { Tool } from '../tools/types.js';

/** The tools one agent may call, and the names its definition asked for that the runtime lacks. */
export interface AgentTools {
  readonly tools: ReadonlyMap<string, Tool>;
  /** Names in the agent's `tools` allow-list that no runtime tool has (e.g. Claude Code's `Read`). */
  readonly missing: readonly string[];
}

/**
 * Applies an agent's `tools` allow-list (absent = every runtime tool) and then its `disallowedTools`
 * deny-list. Names the runtime does not provide are reported, not fatal: agent files written for other
 * harnesses list tools (`Read`, `Bash`) this runtime may not have.
 */
export function toolsForAgent(
  agent: Pick<AgentDefinition, 'tools' | 'disallowedTools'>,
  available: ReadonlyMap<string, Tool>,
): AgentTools {
  const denied = new Set(agent.disallowedTools ?? []);
  const wanted = agent.tools ?? [...available.keys()];
  const tools = new Map<string, Tool>();
  const missing: string[] = [];
  for (const name of wanted) {
    const tool = available.get(name);
    if (!tool) missing.push(name);
    else if (!denied.has(name)) tools.set(name, tool);
  }
  return { tools, missing };
}
