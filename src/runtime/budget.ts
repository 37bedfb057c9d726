import { BudgetExceededError } from '../errors/budget-errors.js';
import type { EventBus } from '../events/bus.js';
import type { BudgetKind } from '../events/types.js';
import type { Usage } from '../model/types.js';
import type { Clock } from '../util/clock.js';

/** Limits for one runtime, checked before every model call across all parallel work. Absent = unlimited. */
export interface Budgets {
  /** Input + output + cache tokens over all calls. */
  readonly maxTokens?: number;
  /** Cost in USD, as priced by the model layer. */
  readonly maxCostUsd?: number;
  /** Clock time since the tracker was created, in ms. */
  readonly maxWallTimeMs?: number;
  /** Model calls started (a `generateObject` with repairs counts once). */
  readonly maxModelCalls?: number;
}

/** What has been spent so far, per budget. */
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

/**
 * A budget tracker for `limits`, measuring wall time on `deps.clock` from now. A budget is reached when
 * usage is at or over its limit; from then on `check()` and `reserve()` throw `BudgetExceededError`
 * (code `BUDGET_EXCEEDED`, naming the budget, the usage and the limit). Emits `budget.warning` once per
 * budget at 80% and `budget.exceeded` once, for the first budget reached.
 *
 * @example
 * const budget = createBudgetTracker({ maxCostUsd: 0.5, maxModelCalls: 40 }, { clock: systemClock(), events: bus });
 * const model = withBudget(baseModel, budget); // reserve() before each call, record() after it
 * const result = await runTaskTree(tree, (task) => model.generate({ prompt: task.instructions }).then((r) => r.text), { budget });
 * if (result.stoppedBy?.kind === 'budget') console.log(`stopped by ${result.stoppedBy.budget}`);
 */
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
