import type { EventBus } from '../../events/bus.js';
import type { Model } from '../../model/types.js';
import type { Tool } from '../../tools/types.js';
import type { BudgetTracker } from '../budget.js';
import type { Runtime, RuntimeModels } from '../runtime-types.js';
import { meteredModel, type CallLog } from './metered-model.js';

/** What a scope changes about the runtime it views. */
export interface Scope {
  /** The run's bus (stamps its `runId`). */
  readonly events: EventBus;
  /** Where this node's model calls are logged. */
  readonly log: CallLog;
  /** The node these calls serve, put on every model request as event tags: its run, and its task (if any). */
  readonly node: { readonly runId: string; readonly taskId?: string };
  /** The run's own budget, if the caller set one; applied on top of the runtime's. */
  readonly runBudget?: BudgetTracker;
  /** Runtime and run budget together, for whoever checks `runtime.budget`. */
  readonly budget: BudgetTracker;
  /** The orchestration's depth cap (strategies read it from `limits.maxDepth`). */
  readonly maxDepth: number;
  /** The orchestration's signal (the caller's and the runtime's together). */
  readonly signal: AbortSignal;
  /** Tools instead of the runtime's (the runtime's plus `delegate`, for an agent that may delegate). */
  readonly tools?: ReadonlyMap<string, Tool>;
}

/**
 * A view of `base` for one node of the run tree: the same agents, store, clock, random and ids, but
 * models that log to this node, tag each call's events with it and take a slot per call, the run's
 * bus, budget and depth cap. Planner, strategies and the agent loop take it as their runtime, so
 * everything they spend is attributed here (in the tree, and in `model.call.*` events).
 */
export function scopedRuntime(base: Runtime, scope: Scope): Runtime {
  const meter = (model: Model, agent?: string): Model =>
    meteredModel(model, {
      log: scope.log,
      slot: base.slot,
      tags: scope.node,
      ...(scope.runBudget ? { budget: scope.runBudget } : {}),
      ...(agent !== undefined ? { agent } : {}),
    });
  const models: RuntimeModels = {
    planner: meter(base.models.planner),
    worker: meter(base.models.worker),
    synthesizer: meter(base.models.synthesizer),
    forAgent: (agent) => meter(base.models.forAgent(agent), agent.name),
  };
  return {
    id: base.id,
    models,
    agents: base.agents,
    tools: scope.tools ?? base.tools,
    events: scope.events,
    clock: base.clock,
    random: base.random,
    ids: base.ids,
    budget: scope.budget,
    limits: { ...base.limits, maxDepth: scope.maxDepth },
    store: base.store,
    slot: base.slot,
    signal: scope.signal,
  };
}
