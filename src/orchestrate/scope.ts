import type { EventBus } from '../events/bus.js';
import type { Model } from '../model/types.js';
import type { BudgetTracker } from '../runtime/budget.js';
import type { CallLog } from '../runtime/call-log.js';
import { chainModel } from '../runtime/model-chain.js';
import type { Runtime, RuntimeModels } from '../runtime/runtime-types.js';
import type { Tool } from '../tools/types.js';
import type { RunLevel, RunSettings } from './orchestration.js';
import { childPath } from '../durable/journal.js';
import { journaledModel } from '../durable/model-journal.js';

/** What a scope changes about the runtime it views. */
export interface Scope {
  /** The run's bus (stamps its `runId`). */
  readonly events: EventBus;
  /** Where this node's model calls are logged. */
  readonly log: CallLog;
  /** The node these calls serve, put on every model request as event tags: its run, and its task (if any). */
  readonly node: { readonly runId: string; readonly taskId?: string };
  /** The runtime's budget and the run's own together: what every call of this scope is charged to. */
  readonly budget: BudgetTracker;
  /** The orchestration's depth cap (strategies read it from `limits.maxDepth`). */
  readonly maxDepth: number;
  /** The orchestration's signal (the caller's and the runtime's together). */
  readonly signal: AbortSignal;
  /** Tools instead of the runtime's (the runtime's plus `delegate`, for an agent that may delegate). */
  readonly tools?: ReadonlyMap<string, Tool>;
  /** Awaited before each model call of the run (its pacing), if set. */
  readonly gate?: () => Promise<void>;
  /** A durable run's journal link for this node's calls. */
  readonly journal?: (model: Model) => Model;
}

/**
 * The runtime view for one node of a run level: the run's own planning and synthesis (no `taskId`), or
 * one task's attempt (with the attempt's signal). The one place a node's scope is built.
 */
export function nodeScope(
  settings: RunSettings,
  level: RunLevel,
  node: { readonly log: CallLog; readonly taskId?: string; readonly signal?: AbortSignal; readonly tools?: ReadonlyMap<string, Tool> },
): Runtime {
  const { journal } = settings;
  // Absent links left undefined rather than spread out: one scope is built per task attempt.
  return scopedRuntime(settings.runtime, {
    events: level.events,
    log: node.log,
    node: node.taskId !== undefined ? { runId: level.runId, taskId: node.taskId } : { runId: level.runId },
    budget: settings.budget,
    maxDepth: settings.maxDepth,
    signal: node.signal ?? level.signal,
    tools: node.tools,
    gate: settings.beforeModelCall,
    journal: journal ? (model: Model) => journaledModel(model, journal, childPath(level.path, node.taskId ?? RUN_NODE)) : undefined,
  });
}

/** The journal path segment of a run level's own calls (planning, synthesis, refine), beside its tasks'. */
const RUN_NODE = '.run';

/**
 * A view of `base` for one node of the run tree: the same agents, store, clock, random and ids, but
 * models chained for this node (its tags, a slot per call, the run's budget, its call log), the run's
 * bus, budget and depth cap. Planner, strategies and the agent loop take it as their runtime, so
 * everything they spend is attributed here (in the tree, and in `model.call.*` events).
 */
export function scopedRuntime(base: Runtime, scope: Scope): Runtime {
  return new ScopedRuntime(base, scope);
}

/**
 * One scope per task attempt: a class whose getters pass the base runtime's own parts through, so a
 * scope holds what it changes and nothing else.
 */
class ScopedRuntime implements Runtime {
  readonly models: RuntimeModels;
  readonly tools: ReadonlyMap<string, Tool>;
  readonly events: EventBus;
  readonly budget: BudgetTracker;
  readonly limits: Runtime['limits'];
  readonly signal: AbortSignal;

  readonly #base: Runtime;
  readonly #scope: Scope;

  constructor(base: Runtime, scope: Scope) {
    this.#base = base;
    this.#scope = scope;
    this.models = new ScopedModels(base.models.base, this);
    this.tools = scope.tools ?? base.tools;
    this.events = scope.events;
    this.budget = scope.budget;
    this.limits = limitsWith(base.limits, scope.maxDepth);
    this.signal = scope.signal;
  }

  get id(): string {
    return this.#base.id;
  }
  get agents(): Runtime['agents'] {
    return this.#base.agents;
  }
  get matcher(): Runtime['matcher'] {
    return this.#base.matcher;
  }
  get toolAccess(): Runtime['toolAccess'] {
    return this.#base.toolAccess;
  }
  get clock(): Runtime['clock'] {
    return this.#base.clock;
  }
  get random(): Runtime['random'] {
    return this.#base.random;
  }
  get ids(): Runtime['ids'] {
    return this.#base.ids;
  }
  get store(): Runtime['store'] {
    return this.#base.store;
  }
  get runStore(): Runtime['runStore'] {
    return this.#base.runStore;
  }
  get slot(): Runtime['slot'] {
    return this.#base.slot;
  }
  get work(): Runtime['work'] {
    return this.#base.work;
  }

  /** `model` behind this node's links: its tags (with `agent` when the calls serve one), slot, budget, log. */
  chain(model: Model, agent?: string): Model {
    const { node } = this.#scope;
    return chainModel(model, {
      tags: agent === undefined ? node : node.taskId !== undefined ? { runId: node.runId, taskId: node.taskId, agent } : { runId: node.runId, agent },
      slot: this.#base.slot,
      budget: this.#scope.budget,
      log: this.#scope.log,
      events: this.#scope.events,
      gate: this.#scope.gate,
      journal: this.#scope.journal,
    });
  }
}

/**
 * A scope's models, each chained on first use: a task's scope usually needs only its agents' models, a
 * run's only the planner and the synthesizer, and there is one scope per task attempt. A class, so the
 * getters are defined once, not for every scope.
 */
class ScopedModels implements RuntimeModels {
  private chainedPlanner: Model | undefined;
  private chainedWorker: Model | undefined;
  private chainedSynthesizer: Model | undefined;
  /** Own, not on the prototype: callers may hold it apart from its object. */
  readonly forAgent: RuntimeModels['forAgent'];

  constructor(
    readonly base: RuntimeModels['base'],
    private readonly scope: ScopedRuntime,
  ) {
    this.forAgent = (agent) => scope.chain(base.forAgent(agent), agent.name);
  }

  get planner(): Model {
    return (this.chainedPlanner ??= this.scope.chain(this.base.planner));
  }

  get worker(): Model {
    return (this.chainedWorker ??= this.scope.chain(this.base.worker));
  }

  get synthesizer(): Model {
    return (this.chainedSynthesizer ??= this.scope.chain(this.base.synthesizer));
  }
}

/** `limits` with the scope's depth cap: one object per runtime and cap, not one per scope. */
function limitsWith(limits: Runtime['limits'], maxDepth: number): Runtime['limits'] {
  let byDepth = LIMITS.get(limits);
  if (!byDepth) LIMITS.set(limits, (byDepth = new Map()));
  let scoped = byDepth.get(maxDepth);
  if (!scoped) byDepth.set(maxDepth, (scoped = { ...limits, maxDepth }));
  return scoped;
}

const LIMITS = new WeakMap<Runtime['limits'], Map<number, Runtime['limits']>>();
