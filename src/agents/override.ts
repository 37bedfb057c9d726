import type { AgentDefinition } from './types.js';

/** A user agent that replaces a built-in of the same name. */
export interface AgentOverride {
  readonly name: string;
  /** Where the user's agent came from (a file path, or `"code"`). */
  readonly source: string;
  /** Where the built-in it replaces came from. */
  readonly builtinSource: string;
  /** `agent "x" from <source> overrides the built-in agent "x" (<builtin source>)`. */
  readonly message: string;
}

/**
 * Puts the user's agents over the built-ins: a built-in whose name a user agent takes is left out
 * and reported as an override (as project agents override user agents in Claude Code). Duplicates
 * among the user's own agents are not resolved here: the registry refuses them, naming both sources.
 *
 * @example
 * const { agents, overrides } = withBuiltins(mine, await builtinAgents());
 * for (const o of overrides) console.error(o.message);
 */
export function withBuiltins(
  own: readonly AgentDefinition[],
  builtins: readonly AgentDefinition[],
): { agents: AgentDefinition[]; overrides: AgentOverride[] } {
  const ownByName = new Map(own.map((agent) => [agent.name, agent]));
  const kept: AgentDefinition[] = [];
  const overrides: AgentOverride[] = [];
  for (const builtin of builtins) {
    const mine = ownByName.get(builtin.name);
    if (mine === undefined) kept.push(builtin);
    else
      overrides.push({
        name: builtin.name,
        source: mine.source,
        builtinSource: builtin.source,
        message: `agent "${mine.name}" from ${mine.source} overrides the built-in agent "${builtin.name}" (${builtin.source})`,
      });
  }
  return { agents: [...kept, ...own], overrides };
}
