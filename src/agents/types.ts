/** Priority an agent declares; used as the default vote weight and a matching tie-breaker. */
export type AgentPriority = 'low' | 'medium' | 'high' | 'critical';

/**
 * One agent: the Claude Code sub-agent format (markdown, YAML frontmatter, body = system prompt)
 * plus the community fields. Unknown frontmatter fields are kept in `metadata`.
 */
export interface AgentDefinition {
  readonly name: string;
  readonly description: string;
  /** The system prompt (the markdown body). */
  readonly systemPrompt: string;
  readonly capabilities: readonly string[];
  readonly type?: string;
  /** Model spec or alias (`sonnet`, `haiku`, `inherit`, `anthropic:claude-haiku-4-5`); absent = the runtime's worker model. */
  readonly model?: string;
  /**
   * Tool names this agent may use; absent = every read-only tool the runtime has. Naming a
   * side-effecting tool here grants it (see `Tool.sideEffects`).
   */
  readonly tools?: readonly string[];
  readonly disallowedTools?: readonly string[];
  /** Upper bound on model calls in one run of this agent's loop. */
  readonly maxTurns?: number;
  readonly priority?: AgentPriority;
  readonly color?: string;
  /**
   * Shell commands from the file: one command, or a list run in order (stopping at the first that
   * fails). Never run unless the runtime allows hooks.
   */
  readonly hooks?: { readonly pre?: string | readonly string[]; readonly post?: string | readonly string[] };
  /**
   * In a durable run, a task this agent is about to work on waits for a person's approval
   * (`taskforce approve`); with `timeoutMs`, `default` (reject unless set) applies after that long.
   */
  readonly approval?: boolean | { readonly timeoutMs?: number; readonly default?: 'approve' | 'reject' };
  /** Unknown frontmatter fields, kept as they were. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Where it came from: a file path, or `"code"` for `defineAgent`. */
  readonly source: string;
}

/** The agents a runtime knows, by name. */
export interface AgentRegistry {
  get(name: string): AgentDefinition | undefined;
  /** Like `get`, but an unknown name is an `UnknownAgentError` listing the closest names. */
  require(name: string): AgentDefinition;
  list(): readonly AgentDefinition[];
  has(name: string): boolean;
}

/** One agent's fit for a task, with the reason, as the matcher returns it. */
export interface AgentMatch {
  readonly agent: AgentDefinition;
  /** Higher is better; capability coverage dominates, text relevance breaks ties. */
  readonly score: number;
  /** Fraction of the required capabilities the agent declares (1 = all). */
  readonly capabilityCoverage: number;
  readonly textRelevance: number;
  readonly reason: string;
}

/** One model call of an agent's loop and the tool calls it asked for. */
export interface AgentStep {
  readonly index: number;
  readonly text: string;
  readonly toolCalls: readonly {
    readonly id: string;
    readonly name: string;
    readonly input: unknown;
    readonly output: string;
    readonly isError: boolean;
    readonly durationMs: number;
  }[];
  readonly usage: import('../model/types.js').Usage;
  readonly costUsd: number;
  readonly model: string;
}

/** What running one agent on one prompt produced. */
export interface AgentRunResult {
  readonly output: string;
  readonly agent: string;
  readonly usage: import('../model/types.js').Usage;
  readonly costUsd: number;
  readonly steps: readonly AgentStep[];
  readonly durationMs: number;
  /** `final`: the model gave an answer; `max_steps`: the loop hit its step cap (output = last text). */
  readonly finishReason: 'final' | 'max_steps';
}
