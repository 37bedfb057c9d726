import type { TaskforceEvent } from '../../events/types.js';
import type { Usage } from '../../model/types.js';
import { summarizeDecision } from './decision-summary.js';

/** Where a task is, as far as the events have told. */
export type LiveTaskStatus = 'running' | 'retrying' | 'completed' | 'failed' | 'skipped' | 'cancelled';

/** One task in the live view. */
export interface LiveTask {
  readonly key: string;
  readonly runId: string;
  readonly taskId: string;
  readonly title: string;
  readonly status: LiveTaskStatus;
  readonly attempt: number;
  readonly agents: readonly string[];
  readonly decision?: string;
  /**
   * Tokens and cost of every model call made for this task: its agents' runs and the strategy's own
   * calls (bids, votes, a leader's plan), known from the `taskId` tag on `model.call.finished`. A
   * sub-run's tasks count on their own rows.
   */
  readonly tokens: number;
  readonly costUsd: number;
  /**
   * Per agent, spend of tagged calls already counted that no `agent.completed` has accounted for yet.
   * An `agent.completed` adds only what its calls' events did not (events from a model on another
   * bus, or an old trace without tags), so nothing is counted twice.
   */
  readonly uncompletedSpend?: Readonly<Record<string, Spend>>;
  readonly childRunIds: readonly string[];
  readonly note?: string;
}

/** Tokens and cost. */
export interface Spend {
  readonly tokens: number;
  readonly costUsd: number;
}

export type LiveRunStatus = 'planning' | 'running' | 'completed' | 'failed';

/** One run (the top-level one or a sub-run). */
export interface LiveRun {
  readonly runId: string;
  readonly goal: string;
  readonly depth: number;
  readonly status: LiveRunStatus;
  readonly plannedTasks?: number;
  /** Keys of the run's tasks, in the order they started. */
  readonly taskKeys: readonly string[];
  readonly synthesis?: string;
  readonly refine?: string;
  readonly error?: string;
  /** Why a completed run ended early (`run.completed`'s `stoppedBy`): it did not finish its work. */
  readonly stoppedBy?: { readonly kind: 'budget' | 'cancelled' | 'cap' | 'failure' | 'waiting'; readonly detail: string };
}

/** Everything the live view shows; built from events only, so any event source can drive it. */
export interface LiveState {
  readonly runs: Readonly<Record<string, LiveRun>>;
  /** Runs with no parent task, in the order they started. */
  readonly rootRunIds: readonly string[];
  readonly tasks: Readonly<Record<string, LiveTask>>;
  /** Child run id → the key of the task it works for (known from `recursion.spawned` or `run.started`). */
  readonly parentOf: Readonly<Record<string, string>>;
  readonly modelCalls: number;
  readonly tokens: number;
  readonly costUsd: number;
  readonly firstAt?: number;
  readonly lastAt?: number;
  /** Warnings and caps worth showing, newest last. */
  readonly notes: readonly string[];
}

export const EMPTY_LIVE_STATE: LiveState = Object.freeze({
  runs: {},
  rootRunIds: [],
  tasks: {},
  parentOf: {},
  modelCalls: 0,
  tokens: 0,
  costUsd: 0,
  notes: [],
});

/** Tokens as budgets count them: input, output and cache. */
export function usageTokens(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens + (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0);
}

const MAX_NOTES = 5;

/** Key of a task: task ids are unique only within their run. Events from `Task()` have no run. */
export function taskKey(runId: string | undefined, taskId: string): string {
  return `${runId ?? ''}/${taskId}`;
}

/** The state after `event`. Pure: returns a new state, never changes the old one. */
export function applyEvent(state: LiveState, event: TaskforceEvent): LiveState {
  const timed: LiveState = { ...state, firstAt: state.firstAt ?? event.at, lastAt: event.at };
  const runId = event.runId ?? '';
  switch (event.type) {
    case 'run.started': {
      const run: LiveRun = { runId, goal: event.goal, depth: event.depth, status: 'planning', taskKeys: [] };
      const parentKey = event.parentTaskId !== undefined ? timed.parentOf[runId] : undefined;
      // A sub-run whose `recursion.spawned` has not arrived yet shows as a root until it does.
      return {
        ...timed,
        runs: { ...timed.runs, [runId]: run },
        rootRunIds: parentKey === undefined ? [...timed.rootRunIds, runId] : timed.rootRunIds,
      };
    }
    case 'plan.created':
      return updateRun(timed, runId, (run) => ({ ...run, status: 'running', plannedTasks: event.taskCount }));
    case 'run.completed': {
      const { stoppedBy } = event;
      return updateRun(timed, runId, (run) => ({ ...run, status: 'completed', ...(stoppedBy ? { stoppedBy } : {}) }));
    }
    case 'run.failed':
      return updateRun(timed, runId, (run) => ({ ...run, status: 'failed', error: event.error }));
    case 'recursion.spawned': {
      const parent = taskKey(event.runId, event.taskId);
      const withLink: LiveState = { ...timed, parentOf: { ...timed.parentOf, [event.childRunId]: parent } };
      // The child may have started (and been taken for a root) before this event arrived.
      const rootRunIds = withLink.rootRunIds.filter((id) => id !== event.childRunId);
      return updateTask({ ...withLink, rootRunIds }, parent, (task) =>
        task.childRunIds.includes(event.childRunId) ? task : { ...task, childRunIds: [...task.childRunIds, event.childRunId] },
      );
    }
    case 'recursion.capped':
      return note(timed, `cap ${event.cap} reached on task ${event.taskId}: ${event.detail}`);
    case 'task.started': {
      const key = taskKey(event.runId, event.taskId);
      const existing = timed.tasks[key];
      const task: LiveTask = existing
        ? { ...existing, status: 'running', attempt: event.attempt }
        : { key, runId, taskId: event.taskId, title: event.title, status: 'running', attempt: event.attempt, agents: [], tokens: 0, costUsd: 0, childRunIds: [] };
      const next: LiveState = { ...timed, tasks: { ...timed.tasks, [key]: task } };
      if (existing) return next;
      if (!next.runs[runId]) {
        // Events of a bare Task() call have no run: give them a run of their own to hang off.
        const run: LiveRun = { runId, goal: '', depth: 0, status: 'running', taskKeys: [key] };
        return { ...next, runs: { ...next.runs, [runId]: run }, rootRunIds: [...next.rootRunIds, runId] };
      }
      return updateRun(next, runId, (run) => ({ ...run, status: run.status === 'planning' ? 'running' : run.status, taskKeys: [...run.taskKeys, key] }));
    }
    case 'task.completed':
      return updateTask(timed, taskKey(event.runId, event.taskId), (task) => ({ ...task, status: 'completed' }));
    case 'task.failed':
      return updateTask(timed, taskKey(event.runId, event.taskId), (task) => ({
        ...task,
        status: event.willRetry ? 'retrying' : 'failed',
        note: event.error,
      }));
    case 'task.retried':
      return updateTask(timed, taskKey(event.runId, event.taskId), (task) => ({ ...task, status: 'retrying', attempt: event.attempt }));
    case 'task.skipped':
      return updateTask(timed, taskKey(event.runId, event.taskId), (task) => ({ ...task, status: 'skipped', note: event.reason }));
    case 'task.cancelled':
      return updateTask(timed, taskKey(event.runId, event.taskId), (task) => ({ ...task, status: 'cancelled', note: event.reason }));
    case 'agent.assigned':
      if (event.taskId === undefined) return timed;
      return updateTask(timed, taskKey(event.runId, event.taskId), (task) =>
        task.agents.includes(event.agent) ? task : { ...task, agents: [...task.agents, event.agent] },
      );
    case 'agent.completed':
      if (event.taskId === undefined) return timed;
      return updateTask(timed, taskKey(event.runId, event.taskId), (task) => ({
        ...task,
        agents: task.agents.includes(event.agent) ? task.agents : [...task.agents, event.agent],
        ...settleAgentRun(task, event.agent, { tokens: usageTokens(event.usage), costUsd: event.costUsd }),
      }));
    case 'strategy.decision':
      return updateTask(timed, taskKey(event.runId, event.taskId), (task) => ({ ...task, decision: summarizeDecision(event.strategy, event.decision) }));
    case 'model.call.finished': {
      const spend: Spend = { tokens: usageTokens(event.usage), costUsd: event.costUsd };
      const totals: LiveState = { ...timed, modelCalls: timed.modelCalls + 1, tokens: timed.tokens + spend.tokens, costUsd: timed.costUsd + spend.costUsd };
      if (event.taskId === undefined) return totals;
      return updateTask(totals, taskKey(event.runId, event.taskId), (task) => chargeCall(task, event.agent, spend));
    }
    case 'synthesis.attempt':
      return updateRun(timed, runId, (run) => ({
        ...run,
        synthesis: `attempt ${event.attempt} ${event.passed ? 'passed' : `failed (${event.problems.length} problem(s))`}`,
      }));
    case 'convergence.round':
      if (event.taskId !== undefined) return timed;
      return updateRun(timed, runId, (run) => ({
        ...run,
        refine: `round ${event.round}${event.similarity !== null ? `, similarity ${event.similarity.toFixed(2)}` : ''}`,
      }));
    case 'convergence.stopped':
      if (event.taskId !== undefined) return timed;
      return updateRun(timed, runId, (run) => ({ ...run, refine: `${event.rounds} round(s), stopped: ${event.reason}` }));
    case 'budget.exceeded':
      return note(timed, `budget ${event.budget} exceeded: ${round(event.used)} of ${round(event.limit)}`);
    case 'budget.warning':
      return note(timed, `budget ${event.budget} at ${Math.round(event.fraction * 100)}%`);
    case 'log':
      return event.level === 'warn' || event.level === 'error' ? note(timed, `${event.level}: ${event.message}`) : timed;
    default:
      return timed;
  }
}

function updateRun(state: LiveState, runId: string, change: (run: LiveRun) => LiveRun): LiveState {
  const run = state.runs[runId];
  return run ? { ...state, runs: { ...state.runs, [runId]: change(run) } } : state;
}

function updateTask(state: LiveState, key: string, change: (task: LiveTask) => LiveTask): LiveState {
  const task = state.tasks[key];
  return task ? { ...state, tasks: { ...state.tasks, [key]: change(task) } } : state;
}

/** A task with one tagged model call charged; an agent's call is also remembered until its run completes. */
function chargeCall(task: LiveTask, agent: string | undefined, spend: Spend): LiveTask {
  const charged: LiveTask = { ...task, tokens: task.tokens + spend.tokens, costUsd: task.costUsd + spend.costUsd };
  if (agent === undefined) return charged;
  const pending = task.uncompletedSpend?.[agent] ?? NO_SPEND;
  return {
    ...charged,
    uncompletedSpend: { ...task.uncompletedSpend, [agent]: { tokens: pending.tokens + spend.tokens, costUsd: pending.costUsd + spend.costUsd } },
  };
}

/**
 * What a completed agent run changes on its task: the part of the run's spend its tagged call events
 * have not charged yet (all of it when none were seen), and what is left of that agent's pending spend.
 */
function settleAgentRun(task: LiveTask, agent: string, run: Spend): Pick<LiveTask, 'tokens' | 'costUsd' | 'uncompletedSpend'> {
  const pending = task.uncompletedSpend?.[agent] ?? NO_SPEND;
  const uncompletedSpend = {
    ...task.uncompletedSpend,
    [agent]: { tokens: Math.max(0, pending.tokens - run.tokens), costUsd: Math.max(0, pending.costUsd - run.costUsd) },
  };
  return {
    tokens: task.tokens + Math.max(0, run.tokens - pending.tokens),
    costUsd: task.costUsd + Math.max(0, run.costUsd - pending.costUsd),
    uncompletedSpend,
  };
}

const NO_SPEND: Spend = Object.freeze({ tokens: 0, costUsd: 0 });

function note(state: LiveState, text: string): LiveState {
  return { ...state, notes: [...state.notes, text].slice(-MAX_NOTES) };
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}
