import type { AgentDefinition, AgentMatch, AgentRunResult } from '../src/agents/types.js';
import type { TaskSpec } from '../src/plan/types.js';
import type { Runtime } from '../src/runtime/runtime-types.js';

/** Everything a strategy needs to coordinate one task. */
export interface CoordinationContext {
  readonly runtime: Runtime;
  readonly goal: string;
  readonly task: TaskSpec;
  /** Capability-matched agents, best first, with scores and reasons. */
  readonly candidates: readonly AgentMatch[];
  /** Outputs of the task's dependencies, by task id. */
  readonly inputs: Readonly<Record<string, string>>;
  /**
   * Runs one agent on a prompt: the agent loop with its tools, under the runtime's budgets and
   * concurrency (and, inside `orchestrate`, recursion for decomposable work).
   */
  runAgent(agent: AgentDefinition, prompt: string, options?: { readonly system?: string }): Promise<AgentRunResult>;
  readonly signal: AbortSignal;
  /** Recursion depth of the run this task belongs to (0 = top level). */
  readonly depth: number;
}

/** What a strategy produced for one task. */
export interface CoordinationResult {
  readonly output: string;
  /** Agents whose work went into the output. */
  readonly agents: readonly string[];
  /** The strategy's decision as plain JSON data (votes, bids, pheromone picks, delegation tree). */
  readonly decision: { readonly strategy: string } & Record<string, unknown>;
  /** Every agent run the strategy made, for usage roll-up and lineage. */
  readonly runs: readonly AgentRunResult[];
}

/** How a task gets from the coordinator to agents. */
export interface Strategy {
  readonly name: string;
  coordinate(context: CoordinationContext): Promise<CoordinationResult>;
}
