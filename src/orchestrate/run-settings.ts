import { checkBudgets, createBudgetTracker } from '../runtime/budget.js';
import type { Runtime } from '../runtime/runtime-types.js';
import type { TaskTree } from '../plan/types.js';
import type { Workflow } from '../workflow/types.js';
import type { RunJournal } from '../durable/journal.js';
import { DELEGATE_TOOL } from './delegate-tool.js';
import { createRecursionGuard } from './guard.js';
import { checkRunOptions, resolveStrategy, type OrchestrateRunOptions } from './options.js';
import type { FinalStage, RunSettings, SharedRunBudget } from './orchestration.js';

/** Whether the strategy is the caller's own object (built-in strategies never start a `Task()`). */
function isOwnStrategy(strategy: OrchestrateRunOptions<unknown>['strategy']): boolean {
  return typeof strategy === 'object' && strategy !== null && 'coordinate' in strategy;
}

/** One `orchestrate` call's options, resolved once: the settings every level shares, the top level's final stage, and the user's plan. */
export interface ResolvedRun {
  readonly settings: RunSettings;
  readonly final: FinalStage;
  readonly tree?: TaskTree;
  readonly workflow?: Workflow;
  /** Stops the run budget's deadline timer (call when the run ends). */
  dispose(): void;
}

/**
 * Checks `options` against `runtime` (throwing `ConfigError` / `UnknownStrategyError` before anything
 * runs) and resolves them into plain values: strategy, recursion guard, the runtime's and
 * the run's budget as one, limits, planner and synthesis settings.
 */
export function resolveRunSettings(
  runtime: Runtime,
  goal: string,
  rootRunId: string,
  options: OrchestrateRunOptions<unknown>,
  journal?: RunJournal,
  shared?: SharedRunBudget,
): ResolvedRun {
  const checked = checkRunOptions(goal, options, runtime);
  const strategy = resolveStrategy(options.strategy);
  // The run's budget sits inside the runtime's: a reservation must fit both, spend counts in both.
  // Shared with the run's workers, every reservation must also fit the shared ledger.
  const limits = options.budgets ? checkBudgets(options.budgets, 'orchestrate: budgets') : undefined;
  const budget = limits
    ? createBudgetTracker(limits, { clock: runtime.clock, events: runtime.events.child(rootRunId), parent: runtime.budget, ...(shared ? { external: [shared] } : {}) })
    : runtime.budget;
  const guard = createRecursionGuard({ maxDepth: checked.maxDepth, maxAgents: runtime.limits.maxAgents });
  guard.registerGoal(goal, rootRunId);
  const offerDelegate = !runtime.tools.has(DELEGATE_TOOL);
  if (!offerDelegate)
    runtime.events.emit({
      type: 'log',
      level: 'warn',
      message: `the runtime has its own tool named "${DELEGATE_TOOL}"; agents get that one, not orchestrate's sub-run delegation`,
    });
  const settings: RunSettings = {
    runtime,
    strategy,
    guard,
    budget,
    maxDepth: checked.maxDepth,
    concurrency: checked.concurrency,
    failurePolicy: options.failurePolicy ?? 'fail-fast',
    ...(options.retry ? { retry: options.retry } : {}),
    planner: options.planner ?? {},
    ...(options.replan ? { replan: options.replan } : {}),
    synthesis: options.synthesis ?? {},
    offerDelegate,
    workMayNest: runtime.tools.size > 0 || isOwnStrategy(options.strategy),
    ...(options.beforeModelCall ? { beforeModelCall: options.beforeModelCall } : {}),
    ...(journal ? { journal } : {}),
    ...(options.agentRunner ? { agentRunner: options.agentRunner } : {}),
    ...(shared && limits ? { sharedBudget: { key: shared.key, limits } } : {}),
    completions: [],
  };
  const final: FinalStage = {
    ...(options.outputSchema ? { outputSchema: options.outputSchema } : {}),
    ...(options.rubric !== undefined ? { rubric: options.rubric } : {}),
    ...(options.strict !== undefined ? { strict: options.strict } : {}),
    ...(options.refine ? { refine: options.refine } : {}),
  };
  return { settings, final, ...(checked.tree ? { tree: checked.tree } : {}), ...(checked.workflow ? { workflow: checked.workflow } : {}), dispose: () => budget !== runtime.budget && budget.dispose() };
}
