import type { BudgetTracker } from './budget.js';

/**
 * The runtime's budget and one run's budget seen as one: `check` and `reserve` fail when either is
 * reached, `record` counts in both, `exceeded` is the first one reached. `limits` and `usage` are the
 * run's (the narrower view), or the runtime's when the run has none.
 */
export function layeredBudget(runtime: BudgetTracker, run: BudgetTracker | undefined): BudgetTracker {
  if (!run) return runtime;
  return {
    limits: run.limits,
    check() {
      runtime.check();
      run.check();
    },
    reserve() {
      // Check both first, so a refusal by the run's budget does not leave a call counted in the runtime's.
      runtime.check();
      run.check();
      runtime.reserve();
      run.reserve();
    },
    record(usage, costUsd) {
      runtime.record(usage, costUsd);
      run.record(usage, costUsd);
    },
    usage: () => run.usage(),
    get exceeded() {
      return run.exceeded ?? runtime.exceeded;
    },
  };
}
