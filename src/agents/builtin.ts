import { ConfigError } from '../errors/taskforce-error.js';
import { EMBEDDED_AGENTS } from '../util/embedded-assets.generated.js';
import type { AgentDefinition } from './types.js';
import { parseAgentMarkdown } from './parse-file.js';

/**
 * The built-in agent library shipped in the package's `agents/` folder (planner, researcher,
 * analyst, coder, reviewer, tester, writer, editor, critic, synthesizer, generalist).
 * The files are embedded at build time (`scripts/embed-assets.mjs`), so they load however the package
 * is installed or bundled; each agent's `source` is `built-in agents/<file>`.
 *
 * @example
 * const registry = createAgentRegistry(await builtinAgents());
 */
export async function builtinAgents(): Promise<readonly AgentDefinition[]> {
  const agents: AgentDefinition[] = [];
  for (const [file, text] of Object.entries(EMBEDDED_AGENTS)) {
    const { agent } = parseAgentMarkdown(text, `built-in agents/${file}`);
    // A shipped file that is not an agent is our bug, not the user's: say so rather than drop it.
    if (!agent) throw new ConfigError(`the built-in agent file agents/${file} has no frontmatter`);
    agents.push(agent);
  }
  return agents;
}
