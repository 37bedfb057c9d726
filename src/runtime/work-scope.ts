import { AsyncLocalStorage } from 'node:async_hooks';
import type { AgentRunResult } from '../agents/types.js';
import { RecursionCapError } from '../errors/recursion-errors.js';
import type { EventBus } from '../events/bus.js';
import type { BudgetTracker } from './budget.js';

/** An admitted agent run: release it when the run failed, or hand in its result. */
export interface AgentTicket {
  release(): void;
  done(result: AgentRunResult): void;
}

/** What admitting an agent run gives: run it, or reuse an earlier identical run's result (no model call). */
export type AgentAdmission = { readonly kind: 'run'; readonly ticket: AgentTicket } | { readonly kind: 'reuse'; readonly result: AgentRunResult };

/**
 * The work running right now on a runtime (an `orchestrate` task, a `Task()` agent), as the work it
 * starts inherits it: a `Task()` called from inside (from a tool, a strategy) runs one level deeper,
 * under the same caps, budget and signal.
 */
export interface WorkScope {
  /** Depth of this work: 0 for a top-level `Task()` or the top run's tasks; -1 for "nothing running". */
  readonly depth: number;
  /** The deepest level work started under this scope may reach. */
  readonly maxDepth: number;
  /** What the work is charged to. */
  readonly budget: BudgetTracker;
  /** Stops the work: the caller's cancel, a deadline, the runtime closing. */
  readonly signal: AbortSignal;
  /** Where in the run tree the work is, for refusals and tags. */
  readonly runId: string;
  readonly taskId?: string;
  /** Admits one more agent run in this tree (the tree's agent cap, and repeats); throws RecursionCapError beyond the cap. */
  admitAgent(agent: string, prompt: string, taskId: string): AgentAdmission;
}

/** Which work is running, carried across awaits (AsyncLocalStorage), one per runtime. */
export interface WorkContext {
  /** The scope of the work running now, or the runtime's root scope when none is. */
  current(): WorkScope;
  /**
   * Runs `fn` as the work of `scope`: a `Task()` inside it is a child of that work. With `mayNest:
   * false` (nothing inside can start a `Task()`: no tools, no code of the caller's), `fn` just runs:
   * tracking work costs AsyncLocalStorage's promise hooks, several µs per `Task()` on Node 20.
   */
  run<T>(scope: WorkScope, fn: () => Promise<T>, options?: { readonly mayNest: boolean }): Promise<T>;
  /**
   * Stops tracking (the runtime closed). On Node 20 every live AsyncLocalStorage adds to the cost of
   * every promise in the process, so a closed runtime must not keep one enabled.
   */
  close(): void;
}

/** The root scope counts runs but keeps no results, so one admission (tickets that do nothing) serves them all. */
const ROOT_ADMISSION: AgentAdmission = Object.freeze({ kind: 'run', ticket: Object.freeze({ release: () => undefined, done: () => undefined }) });

/**
 * A runtime's work context. `root` is the scope of work started outside any other (a top-level
 * `Task()`): its agent runs count against the runtime's `maxAgents` for the runtime's lifetime.
 */
export function createWorkContext(root: Omit<WorkScope, 'admitAgent'> & { readonly maxAgents: number; readonly events: EventBus }): WorkContext {
  const storage = new AsyncLocalStorage<WorkScope>();
  let started = 0;
  const rootScope: WorkScope = {
    depth: -1,
    maxDepth: root.maxDepth,
    budget: root.budget,
    signal: root.signal,
    runId: root.runId,
    admitAgent(agent, _prompt, taskId) {
      if (started >= root.maxAgents) {
        const report = {
          cap: 'maxAgents' as const,
          runId: root.runId,
          taskId,
          depth: 0,
          agent,
          detail: `${root.maxAgents} agent runs were started on this runtime already (limits.maxAgents); agent "${agent}" was not started`,
        };
        root.events.emit({ type: 'recursion.capped', taskId, cap: report.cap, detail: report.detail });
        throw new RecursionCapError(report);
      }
      started += 1;
      return ROOT_ADMISSION;
    },
  };
  return {
    current: () => storage.getStore() ?? rootScope,
    run: (scope, fn, options) => (options?.mayNest === false ? fn() : storage.run(scope, fn)),
    close: () => storage.disable(),
  };
}
