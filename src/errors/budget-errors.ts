import { TaskforceError } from './taskforce-error.js';

/** What a budget limits: tokens, dollars, wall time or model calls. */
export type BudgetKind = 'tokens' | 'costUsd' | 'wallTimeMs' | 'modelCalls';

/** A budget was reached; the run stops cleanly and keeps what finished. */
export class BudgetExceededError extends TaskforceError {
  readonly budget: BudgetKind;
  readonly used: number;
  readonly limit: number;
  /** For a call refused before it was made: its worst case, which did not fit in what was left. */
  readonly needed?: number;
  constructor(budget: BudgetKind, used: number, limit: number, needed?: number) {
    super(
      'BUDGET_EXCEEDED',
      needed === undefined
        ? `budget "${budget}" reached: used ${round(used)} of ${round(limit)}`
        : `budget "${budget}" cannot fit the next model call: used ${round(used)} of ${round(limit)}, the call may need ${round(needed)}`,
    );
    this.budget = budget;
    this.used = used;
    this.limit = limit;
    if (needed !== undefined) this.needed = needed;
  }
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(6).replace(/0+$/, '');
}
