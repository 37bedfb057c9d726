import type { AgentDefinition, AgentMatch, AgentRunResult } from '../src/agents/types.js';
import type { EventBus } from '../src/events/bus.js';
import type { Model } from '../src/model/types.js';
import type { TaskSpec } from '../src/plan/types.js';
import type { Store } from '../src/store/kv-store.js';
import type { Clock } from '../src/util/clock.js';
import type { Random } from '../src/util/random.js';

/**
 * Everything a strategy needs to coordinate one task, and nothing more: the task and its candidates,
 * a way to run an agent and a way to ask a model, its store, randomness, clock and events. Every
 * model call it makes through `modelFor` / `judgeModel` takes the same path as the agents' own calls:
 * charged to the run's budgets, holding a slot, tagged with the task (and agent) and logged to the
 * task's node of the run tree.
 */
export interface CoordinationContext {
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
  /** The model to ask on an agent's behalf (a bid, a vote, a leader's split), its calls tagged with that agent. */
  modelFor(agent: AgentDefinition): Model;
  /**
   * The model that judges and groups answers when a strategy has no judge of its own (the synthesizer
   * model). A getter, made on first use: a strategy that hands on a copy of its context made with
   * spread (`{ ...context, candidates }`) must copy it by name (`judgeModel: context.judgeModel`).
   */
  readonly judgeModel: Model;
  /** Durable state the strategy learns in (reputations, pheromone trails), shared across runs of a runtime. */
  readonly store: Store;
  readonly random: Random;
  readonly clock: Clock;
  /** The run's bus: `strategy.decision` events go here. */
  readonly events: EventBus;
  readonly signal: AbortSignal;
  /** Recursion depth of the run this task belongs to (0 = top level). */
  readonly depth: number;
  /** Sub-run levels still allowed below this task's run (the depth cap minus `depth`). */
  readonly depthLeft: number;
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
