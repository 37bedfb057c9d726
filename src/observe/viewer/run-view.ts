import type { TaskforceEvent } from '../../events/types.js';

/** Tokens and cost of a set of model calls. */
export interface ViewTotals {
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

export type ViewTaskStatus = 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled' | 'waiting';

/** One moment of a workflow's control flow (a `workflow.step` event): a branch taken, a loop ended, a region cancelled. */
export interface ViewFlowStep {
  readonly step: string;
  readonly kind: string;
  readonly phase: 'started' | 'completed' | 'skipped' | 'cancelled';
  readonly detail?: string;
  readonly at: number;
}
export type ViewRunStatus = 'running' | 'completed' | 'stopped' | 'failed';

/** One task of one run level, as its events tell it. `key` is `runId/taskId`, unique in a trace. */
export interface ViewTask {
  readonly key: string;
  readonly runId: string;
  readonly taskId: string;
  readonly title: string;
  readonly status: ViewTaskStatus;
  readonly attempts: number;
  /** The agents the strategy assigned, in order, without repeats. */
  readonly agents: readonly string[];
  readonly strategy?: string;
  readonly decision?: unknown;
  readonly error?: string;
  /** Why it was skipped or cancelled. */
  readonly reason?: string;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** The runs this task spawned (a decomposed task, a delegation). */
  readonly childRunIds: readonly string[];
  /** Model calls tagged with this task (its agents', its strategy's bids and votes). */
  readonly own: ViewTotals;
  /** `own` plus the subtrees of its child runs. */
  readonly subtree: ViewTotals;
}

/** One run level: the top run or a sub-run. */
export interface ViewRun {
  readonly runId: string;
  readonly goal: string;
  readonly depth: number;
  readonly parent?: { readonly runId: string; readonly taskId: string };
  readonly status: ViewRunStatus;
  readonly detail?: string;
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly tasks: readonly ViewTask[];
  /** A workflow run's control flow as it happened, in order (empty for a planned run). */
  readonly flow: readonly ViewFlowStep[];
  /** Model calls of the run itself, tagged with no task: planning, synthesis, refinement. */
  readonly own: ViewTotals;
  readonly subtree: ViewTotals;
}

/** One model call, from `model.call.started` to its `finished` or `failed` event. */
export interface ViewCall {
  readonly callId: string;
  readonly runId?: string;
  readonly taskId?: string;
  readonly agent?: string;
  readonly provider: string;
  readonly model: string;
  readonly status: 'running' | 'finished' | 'failed';
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

/** Everything the page shows, as plain data: built from events by `buildRunView`, rendered by `renderRunHtml`. */
export interface RunView {
  /** Runs with no parent in the trace, in start order (usually one). */
  readonly roots: readonly ViewRun[];
  readonly runs: ReadonlyMap<string, ViewRun>;
  readonly calls: readonly ViewCall[];
  /**
   * The top run's final answer as the trace's `answer.delta` events wrote it (the pieces of its last
   * draft, joined), if they are there.
   */
  readonly answer?: string;
  /** The first and last `at` of the trace. */
  readonly start: number;
  readonly end: number;
}

export const NO_TOTALS: ViewTotals = Object.freeze({ calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });

export function addTotals(a: ViewTotals, b: ViewTotals): ViewTotals {
  return { calls: a.calls + b.calls, inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens, costUsd: a.costUsd + b.costUsd };
}

/** The key of a task in a trace, where the same task id may appear in several runs. */
export function taskKey(runId: string, taskId: string): string {
  return `${runId}/${taskId}`;
}

interface TaskDraft {
  runId: string;
  taskId: string;
  title: string;
  status: ViewTaskStatus;
  attempts: number;
  agents: string[];
  strategy?: string;
  decision?: unknown;
  error?: string;
  reason?: string;
  startedAt?: number;
  endedAt?: number;
  childRunIds: string[];
}

interface RunDraft {
  runId: string;
  goal: string;
  depth: number;
  parent?: { runId: string; taskId: string };
  status: ViewRunStatus;
  detail?: string;
  startedAt: number;
  endedAt?: number;
  tasks: Map<string, TaskDraft>;
  flow: ViewFlowStep[];
}

interface CallDraft {
  callId: string;
  runId?: string;
  taskId?: string;
  agent?: string;
  provider: string;
  model: string;
  status: ViewCall['status'];
  startedAt: number;
  endedAt?: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * Folds a run's events (in trace order) into the run tree, the model calls and the totals per node and
 * subtree. Tolerant of partial traces: a run or task seen only through a later event is created
 * then, and work with no end event is `running` (the trace stopped before it ended).
 */
export function buildRunView(events: readonly TaskforceEvent[]): RunView {
  const runs = new Map<string, RunDraft>();
  const calls = new Map<string, CallDraft>();
  const spawnedBy = new Map<string, { runId: string; taskId: string }>();
  // Per run, the answer draft being written: pieces of one draft join; a later draft replaces it.
  const drafts = new Map<string, { draft: number; text: string }>();
  let start = Infinity;
  let end = -Infinity;

  const runOf = (runId: string, at: number): RunDraft => {
    let run = runs.get(runId);
    if (!run) runs.set(runId, (run = { runId, goal: '', depth: 0, status: 'running', startedAt: at, tasks: new Map(), flow: [] }));
    return run;
  };
  const taskOf = (runId: string, taskId: string, at: number): TaskDraft => {
    const run = runOf(runId, at);
    let task = run.tasks.get(taskId);
    if (!task) run.tasks.set(taskId, (task = { runId, taskId, title: '', status: 'running', attempts: 0, agents: [], childRunIds: [] }));
    return task;
  };

  for (const event of events) {
    if (Number.isFinite(event.at)) {
      start = Math.min(start, event.at);
      end = Math.max(end, event.at);
    }
    const runId = event.runId;
    switch (event.type) {
      case 'run.started': {
        if (!runId) break;
        const run = runOf(runId, event.at);
        run.goal = event.goal;
        run.depth = event.depth;
        run.startedAt = event.at;
        break;
      }
      case 'run.completed':
        if (!runId) break;
        Object.assign(runOf(runId, event.at), {
          status: event.stoppedBy ? 'stopped' : 'completed',
          endedAt: event.at,
          ...(event.stoppedBy ? { detail: `${event.stoppedBy.kind}: ${event.stoppedBy.detail}` } : {}),
        });
        break;
      case 'run.failed':
        if (!runId) break;
        Object.assign(runOf(runId, event.at), { status: 'failed', endedAt: event.at, detail: event.error });
        break;
      case 'recursion.spawned':
        if (!runId) break;
        spawnedBy.set(event.childRunId, { runId, taskId: event.taskId });
        taskOf(runId, event.taskId, event.at).childRunIds.push(event.childRunId);
        break;
      case 'task.started': {
        if (!runId) break;
        const task = taskOf(runId, event.taskId, event.at);
        task.title = event.title;
        task.attempts = Math.max(task.attempts, event.attempt);
        task.startedAt ??= event.at;
        task.status = 'running';
        break;
      }
      case 'task.completed':
        if (runId) Object.assign(taskOf(runId, event.taskId, event.at), { status: 'completed', endedAt: event.at });
        break;
      case 'task.failed':
        if (!runId) break;
        Object.assign(taskOf(runId, event.taskId, event.at), { error: event.error, ...(event.willRetry ? {} : { status: 'failed', endedAt: event.at }) });
        break;
      case 'task.waiting':
        if (runId) Object.assign(taskOf(runId, event.taskId, event.at), { status: 'waiting', reason: event.reason });
        break;
      case 'workflow.step':
        if (runId && event.phase !== 'started')
          runOf(runId, event.at).flow.push({ step: event.step, kind: event.kind, phase: event.phase, ...(event.detail !== undefined ? { detail: event.detail } : {}), at: event.at });
        break;
      case 'task.skipped':
      case 'task.cancelled':
        if (!runId) break;
        Object.assign(taskOf(runId, event.taskId, event.at), {
          status: event.type === 'task.skipped' ? 'skipped' : 'cancelled',
          reason: event.reason,
          endedAt: event.at,
        });
        break;
      case 'agent.assigned': {
        if (!runId || event.taskId === undefined) break;
        const task = taskOf(runId, event.taskId, event.at);
        if (!task.agents.includes(event.agent)) task.agents.push(event.agent);
        if (event.strategy !== undefined) task.strategy ??= event.strategy;
        break;
      }
      case 'strategy.decision': {
        if (!runId) break;
        const task = taskOf(runId, event.taskId, event.at);
        task.strategy = event.strategy;
        task.decision = event.decision;
        break;
      }
      case 'model.call.started':
        calls.set(event.callId, callDraft(event, runId, event.at));
        break;
      case 'model.call.finished':
      case 'model.call.failed': {
        const call =
          calls.get(event.callId) ??
          // A call whose start is not in the trace: place it by its duration when the event has one.
          (() => {
            const draft = callDraft(event, runId, event.type === 'model.call.finished' ? event.at - event.durationMs : event.at);
            calls.set(event.callId, draft);
            return draft;
          })();
        call.endedAt = event.at;
        if (event.type === 'model.call.failed') call.status = 'failed';
        else {
          call.status = 'finished';
          call.inputTokens = event.usage.inputTokens + (event.usage.cacheReadTokens ?? 0) + (event.usage.cacheWriteTokens ?? 0);
          call.outputTokens = event.usage.outputTokens;
          call.costUsd = event.costUsd;
        }
        break;
      }
      case 'answer.delta': {
        if (!runId || event.taskId !== undefined) break;
        const current = drafts.get(runId);
        if (!current || event.draft > current.draft) drafts.set(runId, { draft: event.draft, text: event.text });
        else if (event.draft === current.draft) current.text += event.text;
        break;
      }
      default:
        break;
    }
  }

  // Parents: `recursion.spawned` names them; a run started with `parentTaskId` but no spawn event is a root.
  for (const [childRunId, parent] of spawnedBy) {
    const child = runs.get(childRunId);
    if (child && runs.has(parent.runId)) child.parent = parent;
  }

  const callList = [...calls.values()];
  const ownOfTask = new Map<string, ViewTotals>();
  const ownOfRun = new Map<string, ViewTotals>();
  for (const call of callList) {
    if (call.runId === undefined) continue;
    const totals: ViewTotals = { calls: 1, inputTokens: call.inputTokens, outputTokens: call.outputTokens, costUsd: call.costUsd };
    if (call.taskId !== undefined) {
      taskOf(call.runId, call.taskId, call.startedAt);
      const key = taskKey(call.runId, call.taskId);
      ownOfTask.set(key, addTotals(ownOfTask.get(key) ?? NO_TOTALS, totals));
    } else ownOfRun.set(call.runId, addTotals(ownOfRun.get(call.runId) ?? NO_TOTALS, totals));
  }

  const built = new Map<string, ViewRun>();
  const building = new Set<string>();
  const buildRun = (draft: RunDraft): ViewRun => {
    const done = built.get(draft.runId);
    if (done) return done;
    building.add(draft.runId); // a malformed trace could name a run as its own ancestor
    const tasks = [...draft.tasks.values()].map((task): ViewTask => {
      const key = taskKey(task.runId, task.taskId);
      const own = ownOfTask.get(key) ?? NO_TOTALS;
      const children = task.childRunIds.map((id) => runs.get(id)).filter((r): r is RunDraft => r !== undefined && !building.has(r.runId));
      const subtree = children.reduce((sum, child) => addTotals(sum, buildRun(child).subtree), own);
      return { ...task, key, title: task.title || task.taskId, agents: [...task.agents], childRunIds: [...task.childRunIds], own, subtree };
    });
    const own = ownOfRun.get(draft.runId) ?? NO_TOTALS;
    const run: ViewRun = { ...draft, tasks, flow: [...draft.flow], own, subtree: tasks.reduce((sum, task) => addTotals(sum, task.subtree), own) };
    building.delete(draft.runId);
    built.set(draft.runId, run);
    return run;
  };
  const sorted = [...runs.values()].sort((a, b) => a.startedAt - b.startedAt);
  const roots = sorted.filter((run) => !run.parent).map(buildRun);
  for (const run of sorted) buildRun(run);

  const answer = roots[0] ? drafts.get(roots[0].runId)?.text : undefined;
  return {
    roots,
    runs: built,
    calls: callList.map((call) => ({ ...call })),
    ...(answer !== undefined ? { answer } : {}),
    start: Number.isFinite(start) ? start : 0,
    end: Number.isFinite(end) ? end : 0,
  };
}

/**
 * Lanes for a Gantt chart: each interval gets the lowest lane free at its start, so intervals that
 * overlap in time never share a lane and the number of lanes is the most that ever ran at once.
 * Intervals are `[start, end)`: one that starts as another ends reuses its lane. Returns a lane per
 * interval, in the input order; the input is not changed.
 */
export function assignLanes(intervals: readonly { readonly start: number; readonly end: number }[]): number[] {
  const order = intervals.map((_, i) => i).sort((a, b) => intervals[a]!.start - intervals[b]!.start || a - b);
  const laneEnds: number[] = [];
  const lanes = new Array<number>(intervals.length).fill(0);
  for (const i of order) {
    const { start, end } = intervals[i]!;
    let lane = laneEnds.findIndex((laneEnd) => laneEnd <= start);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = Math.max(end, start);
    lanes[i] = lane;
  }
  return lanes;
}

/** A model call as the view starts it, from whichever of its events comes first. */
function callDraft(
  event: { readonly callId: string; readonly taskId?: string; readonly agent?: string; readonly provider: string; readonly model: string },
  runId: string | undefined,
  startedAt: number,
): CallDraft {
  return {
    callId: event.callId,
    ...(runId !== undefined ? { runId } : {}),
    ...(event.taskId !== undefined ? { taskId: event.taskId } : {}),
    ...(event.agent !== undefined ? { agent: event.agent } : {}),
    provider: event.provider,
    model: event.model,
    status: 'running',
    startedAt,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
  };
}
