import { BudgetExceededError } from '../errors/budget-errors.js';
import type { EventBus } from '../events/bus.js';
import type { BudgetKind } from '../events/types.js';
import type { Usage } from '../model/types.js';
import type { Clock } from '../util/clock.js';

/** Limits for one runtime, checked before every model call across all parallel work. */
export interface Budgets {
  readonly maxTokens?: number;
  readonly maxCostUsd?: number;
  readonly maxWallTimeMs?: number;
  readonly maxModelCalls?: number;
}

export interface BudgetUsage {
  readonly tokens: number;
  readonly costUsd: number;
  readonly wallTimeMs: number;
  readonly modelCalls: number;
}

/**
 * Counts what a runtime has spent and says when a budget is reached. `reserve` is called before a
 * model call (it counts the call, so parallel callers cannot all slip under `maxModelCalls`), and
 * `record` after it with the reported usage.
 */
export interface BudgetTracker {
  readonly limits: Budgets;
  /** Throws BudgetExceededError if any budget is already reached; otherwise counts one model call. */
  reserve(): void;
  /** Throws BudgetExceededError if any budget is reached, without counting a call. */
  check(): void;
  record(usage: Usage, costUsd: number): void;
  usage(): BudgetUsage;
  /** The first budget that stopped work, if any. */
  readonly exceeded: BudgetExceededError | undefined;
}

/** Fraction of a budget at which a `budget.warning` event is emitted (once per budget). */
const WARN_AT = 0.8;

export function createBudgetTracker(limits: Budgets, deps: { clock: Clock; events?: EventBus }): BudgetTracker {
  const startedAt = deps.clock.now();
  let tokens = 0;
  let costUsd = 0;
  let modelCalls = 0;
  let exceeded: BudgetExceededError | undefined;
  const warned = new Set<BudgetKind>();

  const current = (): BudgetUsage => ({ tokens, costUsd, wallTimeMs: deps.clock.now() - startedAt, modelCalls });
  const pairs = (u: BudgetUsage): [BudgetKind, number, number | undefined][] => [
    ['tokens', u.tokens, limits.maxTokens],
    ['costUsd', u.costUsd, limits.maxCostUsd],
    ['wallTimeMs', u.wallTimeMs, limits.maxWallTimeMs],
    ['modelCalls', u.modelCalls, limits.maxModelCalls],
  ];
  const fail = (kind: BudgetKind, used: number, limit: number): never => {
    const error = new BudgetExceededError(kind, used, limit);
    if (!exceeded) {
      exceeded = error;
      deps.events?.emit({ type: 'budget.exceeded', budget: kind, used, limit });
    }
    throw error;
  };
  const warn = () => {
    for (const [kind, used, limit] of pairs(current())) {
      if (limit === undefined || warned.has(kind) || used < limit * WARN_AT) continue;
      warned.add(kind);
      deps.events?.emit({ type: 'budget.warning', budget: kind, used, limit, fraction: used / limit });
    }
  };
  const check = () => {
    for (const [kind, used, limit] of pairs(current())) if (limit !== undefined && used >= limit) fail(kind, used, limit);
  };

  return {
    limits,
    check,
    reserve() {
      check();
      modelCalls += 1;
      warn();
    },
    record(usage, cost) {
      tokens += usage.inputTokens + usage.outputTokens + (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0);
      costUsd += cost;
      warn();
    },
    usage: current,
    get exceeded() {
      return exceeded;
    },
  };
}
