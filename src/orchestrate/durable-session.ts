import { startDurableRun, type DurableRun } from '../durable/durable-run.js';
import { openRunStore } from '../store/open-run-store.js';
import type { RunStatus, RunStore } from '../store/run-store.js';
import type { Runtime } from '../runtime/runtime-types.js';
import type { OrchestrateRunOptions } from './options.js';
import type { RunResult, StoppedBy } from './types.js';
import { openFailures } from './replan.js';

/** A durable run opened for one `orchestrate` call, with the store it opened (closed at the end) if any. */
export interface DurableSession {
  readonly run: DurableRun;
  /** Closes what the session opened: the store when it came from a path or the default. */
  close(): Promise<void>;
}

/** Whether `options` ask for a durable run. */
export function wantsDurable(options: Pick<OrchestrateRunOptions<unknown>, 'durable' | 'runId'>): boolean {
  return options.runId !== undefined ? options.durable !== false : options.durable !== undefined && options.durable !== false;
}

/**
 * Opens the store `options.durable` names (a `RunStore`, a database path, or else the runtime's
 * `runStore`, or else the default one) and
 * takes run `runId` in it: a new run is created, an existing one is resumed.
 */
export async function openDurableSession(runtime: Runtime, goal: string, runId: string, options: OrchestrateRunOptions<unknown>): Promise<DurableSession> {
  const given = options.durable;
  const shared = typeof given === 'object' ? given : typeof given === 'string' ? undefined : runtime.runStore;
  const owned = shared ? undefined : await openRunStore(typeof given === 'string' ? { path: given } : {});
  const store: RunStore = (owned ?? shared)!;
  try {
    const run = await startDurableRun(store, { runId, goal, options: resumableOptions(options) }, runtime.clock);
    return { run, close: async () => owned?.close() };
  } catch (error) {
    await owned?.close();
    throw error;
  }
}

/**
 * The options a resume needs and can store as JSON: the strategy by name, limits, policies and the
 * user's plan, plus the caller's `journalMetadata` as `metadata`. Functions (hooks, a custom strategy
 * object, `retryOn`) cannot be stored; a resume takes them from its own options.
 */
export function resumableOptions(options: OrchestrateRunOptions<unknown>): Record<string, unknown> {
  const { strategy, maxDepth, budgets, plan, workflow, rubric, strict, refine, failurePolicy, concurrency, planner, replan, synthesis, retry, journalMetadata } = options;
  const stored: Record<string, unknown> = {
    ...(typeof strategy === 'string' || (typeof strategy === 'object' && strategy !== null && !('coordinate' in strategy)) ? { strategy } : {}),
    ...(maxDepth !== undefined ? { maxDepth } : {}),
    ...(budgets ? { budgets } : {}),
    ...(plan ? { plan } : {}),
    ...(workflow ? { workflow } : {}),
    ...(rubric !== undefined ? { rubric } : {}),
    ...(strict !== undefined ? { strict } : {}),
    ...(refine ? { refine } : {}),
    ...(failurePolicy ? { failurePolicy } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(planner ? { planner } : {}),
    ...(replan ? { replan } : {}),
    ...(synthesis ? { synthesis } : {}),
    ...(retry ? { retry: { ...retry, retryOn: undefined } } : {}),
    ...(journalMetadata ? { metadata: journalMetadata } : {}),
  };
  return JSON.parse(JSON.stringify(stored)) as Record<string, unknown>;
}

/** The status a run record gets from how the run ended. */
export function runStatusOf(result: Pick<RunResult<unknown>, 'stoppedBy' | 'tree'> | undefined, failed: boolean): RunStatus {
  if (failed || !result) return 'failed';
  const stop: StoppedBy | undefined = result.stoppedBy;
  // A failed task a re-plan replaced does not fail the run.
  if (!stop) return openFailures(result.tree).length > 0 ? 'failed' : 'completed';
  switch (stop.kind) {
    case 'waiting':
      return 'waiting';
    case 'cancelled':
      return 'cancelled';
    case 'failure':
      return 'failed';
    default:
      return 'stopped';
  }
}
