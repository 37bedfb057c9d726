import { TaskforceError } from './taskforce-error.js';

/** What a budget limits: tokens, dollars, wall time or model calls. */
export type BudgetKind = 'tokens' | 'costUsd' | 'wallTimeMs' | 'modelCalls';

/** A budget was reached; the run stops cleanly and keeps what finished. */
export class BudgetExceededError extends TaskforceError {
  readonly budget: BudgetKind;
  readonly used: number;
  readonly limit: number;
  constructor(budget: BudgetKind, used: number, limit: number) {
    super('BUDGET_EXCEEDED', `budget "${budget}" reached: used ${round(used)} of ${round(limit)}`);
    this.budget = budget;
    this.used = used;
    this.limit = limit;
  }
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(6).replace(/0+$/, '');
}
