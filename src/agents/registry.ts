import type { AgentDefinition, AgentRegistry } from './types.js';
import { closestNames } from '../util/edit-distance.js';
import { DuplicateAgentError, UnknownAgentError } from './errors.js';

/**
 * A registry over `agents`. Two agents with one name are a `DuplicateAgentError` naming both
 * sources; `require` of an unknown name is an `UnknownAgentError` with the closest names.
 * `list()` is sorted by name.
 *
 * @example
 * const registry = createAgentRegistry([...(await builtinAgents()), myAgent]);
 * registry.require('coder').systemPrompt;
 */
export function createAgentRegistry(agents: Iterable<AgentDefinition>): AgentRegistry {
  const byName = new Map<string, AgentDefinition>();
  for (const agent of agents) {
    const earlier = byName.get(agent.name);
    if (earlier) throw new DuplicateAgentError(agent.name, { file: earlier.source }, { file: agent.source });
    byName.set(agent.name, agent);
  }
  const sorted = Object.freeze([...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  const names = Object.freeze(sorted.map((a) => a.name));
  return {
    get: (name) => byName.get(name),
    has: (name) => byName.has(name),
    list: () => sorted,
    require(name) {
      const agent = byName.get(name);
      if (agent) return agent;
      throw new UnknownAgentError(name, closestNames(name, names), names);
    },
  };
}
