import { errorInfo } from '../errors/error-info.js';
import { recordDeadLetters } from '../durable/dead-letters.js';
import { planGoal } from '../plan/planner.js';
import type { TaskTree } from '../plan/types.js';
import { scheduleLineage, type RunLineage } from './lineage.js';
import { runTaskTree } from '../scheduler/scheduler.js';
import type { RetryPolicy, ScheduleResult } from '../scheduler/types.js';
import { TaskforceError } from '../errors/taskforce-error.js';
import type { SynthesisSource } from '../synthesis/types.js';
import { addNodeUsage, createCallLog, ZERO_NODE_USAGE, type LoggedCall } from '../runtime/call-log.js';
import { restoreCalls } from './journaled-task.js';
import type { RunSettings, RunLevel, RunOutcome, RunRequest } from './orchestration.js';
import { joinSources, mergeResults, type Merged } from './merge.js';
import { nodeScope } from './scope.js';
import { scheduleLevel } from './replan.js';
import { runWorkflowLevel } from './workflow-level.js';
import { stopOf, stopOfSchedule } from './stop.js';
import { taskExecutor } from './task-executor.js';
import type { CapReport, RunNode, StoppedBy, TaskNode } from './types.js';

/**
 * Runs one level of the tree: plan (unless a plan was given) → schedule the tasks through the
 * strategy (decomposable ones recurse) → synthesize the completed results → (top level only) refine.
 * A budget or cancellation at any step ends the run with `stoppedBy` and whatever finished. Any other
 * error (a plan that stays invalid, a failed strict synthesis) ends it too, as `failure` on the
 * outcome and `error` on the node, after a `run.failed` event: the caller throws it, and the run's
 * spend stays in the tree.
 */
export async function runGoal(settings: RunSettings, request: RunRequest): Promise<RunOutcome> {
  const { runtime } = settings;
  const { runId, goal, depth, signal, path } = request;
  const events = runtime.events.child(runId);
  const startedAt = runtime.clock.now();
  events.emit({ type: 'run.started', goal, depth, ...(request.parent ? { parentTaskId: request.parent.taskId } : {}) });
  const level: RunLevel = { runId, path, goal, depth, events, signal, records: new Map(), inFlight: new Set() };
  const ownLog = createCallLog(`${runId}/run`);
  const scope = nodeScope(settings, level, { log: ownLog });

  let tree: TaskTree | undefined = request.tree;
  let stoppedBy: StoppedBy | undefined;
  let failure: { readonly error: unknown } | undefined;
  // A durable run plans each level once: a resumed run takes the plan its first process accepted.
  const accepted = tree || request.workflow ? undefined : settings.journal?.get<AcceptedPlan>('plan.accepted', path, PLAN_KEY);
  if (accepted) {
    tree = accepted.tree;
    restoreCalls(settings, ownLog, accepted.calls);
  }
  if (!tree && !request.workflow) {
    try {
      tree = await planGoal(
        goal,
        { model: scope.models.planner, agents: runtime.agents.list(), events, signal },
        { ...settings.planner, ...(request.plannerContext !== undefined ? { context: request.plannerContext } : {}) },
      );
      await settings.journal?.append('plan.accepted', path, PLAN_KEY, { tree, calls: ownLog.records } satisfies AcceptedPlan);
    } catch (error) {
      stoppedBy = stopOf(error, signal);
      if (!stoppedBy) failure = { error };
    }
  }

  // A workflow runs its own control flow; its tree is the task instances that ran.
  const workflowRun = request.workflow ? await runWorkflowLevel(settings, level, request.workflow, (child) => runGoal(settings, child)) : undefined;
  if (workflowRun) {
    tree = workflowRun.tree;
    if (workflowRun.stop !== undefined) stoppedBy = stopOf(workflowRun.stop, signal);
  }
  // With `replan`, a task that fails for good is re-planned (see replan.ts); `tree` becomes what ran.
  const scheduled = tree && !workflowRun
    ? await scheduleLevel(settings, level, tree, {
        goal,
        planner: () => scope.models.planner,
        log: ownLog,
        execute: taskExecutor(settings, level, (child) => runGoal(settings, child)),
        schedule: (current, execute) =>
          runTaskTree(current, execute, {
            concurrency: settings.concurrency,
            failurePolicy: settings.failurePolicy,
            ...(settings.retry ? { retry: finalFailuresAside(settings.retry) } : {}),
            signal,
            budget: settings.budget,
            events,
            clock: runtime.clock,
            random: runtime.random,
          }),
      })
    : undefined;
  tree = scheduled?.tree ?? tree;
  const schedule = workflowRun?.schedule ?? scheduled?.schedule;
  // Aborted attempts wind down promptly (they got the abort); their spend and sub-runs belong in the tree.
  while (level.inFlight.size > 0) await Promise.allSettled([...level.inFlight]);
  stoppedBy ??= scheduled?.stoppedBy ?? stopOfSchedule(schedule?.stoppedBy, settings.guard);
  const ran = workflowRun ? { tree: workflowRun.tree, schedule: workflowRun.schedule } : scheduled ? { tree: scheduled.open, schedule: scheduled.schedule } : undefined;
  if (settings.journal && ran) await recordDeadLetters(settings.journal, level, ran.tree, ran.schedule, (id) => level.records.get(id)?.inputs);
  const sources = tree && schedule ? sourcesOf(tree, schedule) : [];

  // Merge what completed, unless a budget or cancellation already stopped the run (a model call would
  // fail too), or it waits for approval (it is merged when it has everything).
  const stopped = stoppedBy?.kind === 'budget' || stoppedBy?.kind === 'cancelled' || stoppedBy?.kind === 'waiting';
  const merging = stopped
    ? undefined
    : mergeResults(settings, { goal, sources, model: scope.models.synthesizer, events, signal, ...(request.final ? { final: request.final } : {}) });
  // The task nodes do not change during synthesis: built while its model call is in flight (a
  // 10,000-task level's take tens of milliseconds), once the call has gone out.
  if (merging) {
    // Handled here too, so a rejection that comes while this waits is not reported as unhandled.
    merging.catch(() => undefined);
    await new Promise((resume) => setImmediate(resume));
  }
  const tasks = tree && schedule ? taskNodes(settings, tree, schedule, level) : [];
  const merged: Merged = merging ? await merging : { output: joinSources(sources) };
  // The first cause is the one reported, as the scheduler does.
  stoppedBy ??= merged.stoppedBy;
  failure ??= merged.failure;

  const own = ownLog.usage();
  const node: RunNode = {
    runId,
    goal,
    depth,
    ...(request.parent ? { parent: request.parent } : {}),
    planned: request.tree || request.workflow ? 'user' : 'planner',
    tasks,
    output: merged.output,
    ...(merged.synthesis ? { synthesis: merged.synthesis } : {}),
    ...(merged.refine ? { refine: merged.refine } : {}),
    ...(stoppedBy ? { stoppedBy } : {}),
    // The tree records a failure's stable code, `RUN_ERROR` when the thrown value has none.
    ...(failure ? { error: errorInfo(failure.error, 'RUN_ERROR') } : {}),
    ...(scheduled?.replans ? { replans: scheduled.replans } : {}),
    usage: { own, subtree: tasks.reduce((sum, t) => addNodeUsage(sum, t.usage.subtree), own) },
  };
  if (failure) events.emit({ type: 'run.failed', error: node.error!.message, code: node.error!.code });
  else
    events.emit({
      type: 'run.completed',
      durationMs: runtime.clock.now() - startedAt,
      usage: node.usage.subtree.usage,
      costUsd: node.usage.subtree.costUsd,
      ...(stoppedBy ? { stoppedBy: { kind: stoppedBy.kind, detail: stoppedBy.detail } } : {}),
    });
  return {
    node,
    lineage: lineageOf(request, tree, schedule, level),
    ...(merged.value !== undefined && !failure ? { value: merged.value } : {}),
    ...(failure ? { failure } : {}),
  };
}

/** A task node's sub-runs or caps when it has none: one frozen array for every node. */
const NONE: readonly never[] = Object.freeze([]);

/** Failures no retry can change: a rejection, and a failure an earlier process of the run recorded. */
const FINAL_FAILURES = new Set(['APPROVAL_REJECTED', 'TASK_FAILED_EARLIER']);

function finalFailuresAside(retry: RetryPolicy): RetryPolicy {
  const { retryOn } = retry;
  return {
    ...retry,
    retryOn: (error, task, attempt) =>
      !(TaskforceError.isInstance(error) && FINAL_FAILURES.has(error.code)) && (retryOn ? retryOn(error, task, attempt) : true),
  };
}

/** The journal key of a level's accepted plan (one per path). */
const PLAN_KEY = 'plan';

/** A plan as journaled, with the planner calls that made it. */
interface AcceptedPlan {
  readonly tree: TaskTree;
  readonly calls: readonly LoggedCall[];
}

function sourcesOf(tree: TaskTree, schedule: ScheduleResult<string>): SynthesisSource[] {
  const sources: SynthesisSource[] = [];
  for (const task of tree.tasks) {
    const outcome = schedule.tasks[task.id];
    if (outcome?.status === 'completed' && outcome.output !== undefined)
      sources.push({ taskId: task.id, title: task.title, output: outcome.output, agents: outcome.agents });
  }
  return sources;
}

function taskNodes(settings: RunSettings, tree: TaskTree, schedule: ScheduleResult<string>, level: RunLevel): TaskNode[] {
  // The level's caps by task, gathered once rather than searched for each task.
  const caps = new Map<string, CapReport[]>();
  for (const cap of settings.guard.caps) {
    if (cap.runId !== level.runId) continue;
    const list = caps.get(cap.taskId);
    if (list) list.push(cap);
    else caps.set(cap.taskId, [cap]);
  }
  return tree.tasks.map((task) => {
    const outcome = schedule.tasks[task.id]!;
    const record = level.records.get(task.id);
    const own = record ? record.log.usage() : ZERO_NODE_USAGE;
    // Fields set one by one, in the node's key order: a level's tree can have tens of thousands of tasks.
    const node: { -readonly [K in keyof TaskNode]: TaskNode[K] } = {
      id: task.id,
      title: task.title,
      status: outcome.status,
      mode: record?.mode ?? 'agents',
      agents: outcome.agents,
    } as TaskNode;
    if (outcome.output !== undefined) node.output = outcome.output;
    if (outcome.error) node.error = outcome.error;
    if (outcome.reason !== undefined) node.reason = outcome.reason;
    node.attempts = outcome.attempts;
    if (record?.decision) node.decision = record.decision;
    const subRuns = record && record.subRuns.length > 0 ? record.subRuns.map((child) => child.node) : NONE;
    node.subRuns = subRuns;
    node.caps = caps.get(task.id) ?? NONE;
    node.usage = { own, subtree: subRuns.length === 0 ? own : subRuns.reduce((sum, child) => addNodeUsage(sum, child.usage.subtree), own) };
    return node;
  });
}

/**
 * The level's lineage and its sub-runs', built on first call: most callers never read a run's lineage,
 * and hashing every output costs microseconds per task. Nothing it reads changes once the level ends.
 */
function lineageOf(request: RunRequest, tree: TaskTree | undefined, schedule: ScheduleResult<string> | undefined, level: RunLevel): RunOutcome['lineage'] {
  let built: readonly RunLineage[] | undefined;
  return () => (built ??= buildLineage(request, tree, schedule, level));
}

function buildLineage(request: RunRequest, tree: TaskTree | undefined, schedule: ScheduleResult<string> | undefined, level: RunLevel): RunLineage[] {
  // Only tasks that spawned sub-runs need an entry (the others get none): most levels have none at all.
  // No prototype, so a task named like an Object method finds no entry either.
  const childRunIds: Record<string, string[]> = Object.create(null);
  let spawned = false;
  for (const [taskId, record] of level.records)
    if (record.subRuns.length > 0) {
      childRunIds[taskId] = record.subRuns.map((c) => c.node.runId);
      spawned = true;
    }
  const own = scheduleLineage({
    runId: request.runId,
    tree: tree ?? { goal: request.goal, tasks: [], droppedEdges: [], analysis: EMPTY_ANALYSIS },
    result: schedule ?? EMPTY_SCHEDULE,
    depth: request.depth,
    ...(request.parent ? { parent: request.parent } : {}),
    modelCalls: { callsFor: (taskId) => [...(level.records.get(taskId)?.log.records ?? [])], stop: () => undefined },
    childRunIds,
  });
  if (!spawned) return [own];
  // Children in task order (the tree's), so the lineage does not depend on completion order.
  const order = new Map((tree?.tasks ?? []).map((t, i) => [t.id, i]));
  const sorted = [...level.records]
    .sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
    .flatMap(([, record]) => record.subRuns);
  return [own, ...sorted.flatMap((child) => child.lineage())];
}

const EMPTY_ANALYSIS: TaskTree['analysis'] = {
  layers: [],
  criticalPath: [],
  criticalPathEffort: 0,
  totalEffort: 0,
  parallelismProfile: [],
  maxParallelism: 0,
  remainingPath: {},
};

const EMPTY_SCHEDULE: ScheduleResult<string> = {
  status: 'completed',
  tasks: {},
  counts: { completed: 0, failed: 0, skipped: 0, cancelled: 0, 'not-run': 0, waiting: 0 },
  startedAt: 0,
  endedAt: 0,
};
