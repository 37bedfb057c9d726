import type { ToolAccess } from '../agents/tool-selection.js';
import type { AgentMatcher } from '../agents/matcher.js';
import type { AgentDefinition, AgentRegistry } from '../agents/types.js';
import type { EventBus } from '../events/bus.js';
import type { Model } from '../model/types.js';
import type { Tool } from '../tools/types.js';
import type { Clock } from '../util/clock.js';
import type { IdGenerator } from '../util/ids.js';
import type { Random } from '../util/random.js';
import type { BudgetTracker } from './budget.js';
import type { Store } from '../store/kv-store.js';
import type { RunStore } from '../store/run-store.js';
import type { WorkContext } from './work-scope.js';

/** A model per role. */
export interface RoleModels {
  readonly planner: Model;
  readonly worker: Model;
  readonly synthesizer: Model;
  /** The model for an agent: its `model` field (spec or alias), else the worker model. */
  forAgent(agent: AgentDefinition): Model;
}

/** The models a runtime uses, one per role: each call takes a runtime slot and is charged to the runtime's budget. */
export interface RuntimeModels extends RoleModels {
  /**
   * The same models before the middleware chain (`chainModel`): a run builds its own chain (tags, slot,
   * its budgets, its call log) from these, so a call is never charged twice.
   */
  readonly base: RoleModels;
}

export interface RuntimeLimits {
  /** Max tasks / agent runs in flight at once across the runtime. */
  readonly concurrency: number;
  /** Max recursion depth of sub-runs (0 = no recursion). */
  readonly maxDepth: number;
  /** Max agent runs spawned across all levels. */
  readonly maxAgents: number;
  /** Default per-call tool timeout in ms. */
  readonly toolTimeoutMs: number;
  /** Default max model calls in one agent loop (an agent's `maxTurns` overrides). */
  readonly maxSteps: number;
  /** Whether agent frontmatter `hooks` may run. Off by default: they are shell commands from files. */
  readonly allowHooks: boolean;
  readonly hookTimeoutMs: number;
}

/**
 * Everything a run does goes through one Runtime: models, agents, tools, limits, budgets, events,
 * clock, randomness, ids and the durable store. Two runtimes never share state.
 */
export interface Runtime {
  readonly id: string;
  readonly models: RuntimeModels;
  readonly agents: AgentRegistry;
  /** The capability index over `agents`, built on first use and kept for the runtime's life (its agents never change). */
  readonly matcher: AgentMatcher;
  readonly tools: ReadonlyMap<string, Tool>;
  /** Who may run side-effecting tools beyond the agents' own `tools` lists: `toolGrants` and `approveToolCall`, checked. */
  readonly toolAccess: ToolAccess;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly random: Random;
  readonly ids: IdGenerator;
  readonly budget: BudgetTracker;
  readonly limits: RuntimeLimits;
  /** Durable store for reputations and pheromone trails (memory unless a path was configured). */
  readonly store: Store;
  /** The run store durable runs on this runtime journal into by default (`RuntimeConfig.runStore`). */
  readonly runStore?: RunStore;
  /** Runs `fn` in one of the runtime's `limits.concurrency` slots, shared by every task and Task() call. */
  slot<T>(fn: () => Promise<T>): Promise<T>;
  /** Aborts when the runtime is closed, its configured signal fires, or its budget's deadline passes. */
  readonly signal: AbortSignal;
  /** Which work is running (carried across awaits), so a `Task()` started inside other work is its child. */
  readonly work: WorkContext;
}
