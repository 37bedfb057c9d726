import { packagePath } from '../util/package-root.js';
import type { AgentDefinition } from './types.js';
import { loadAgents } from './load.js';

/**
 * The built-in agent library shipped in the package's `agents/` folder (planner, researcher,
 * analyst, coder, reviewer, tester, writer, editor, critic, synthesizer, generalist).
 *
 * @example
 * const registry = createAgentRegistry(await builtinAgents());
 */
export async function builtinAgents(): Promise<readonly AgentDefinition[]> {
  const { agents } = await loadAgents(packagePath('agents'));
  return agents;
}
