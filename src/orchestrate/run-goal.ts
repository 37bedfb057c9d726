import { errorInfo } from '../errors/error-info.js';
import { planGoal } from '../plan/planner.js';
import type { TaskTree } from '../plan/types.js';
import { scheduleLineage } from './lineage.js';
import { runTaskTree } from '../scheduler/scheduler.js';
import type { ScheduleResult } from '../scheduler/types.js';
import type { SynthesisSource } from '../synthesis/types.js';
import { addNodeUsage, createCallLog } from '../runtime/call-log.js';
import type { RunSettings, RunLevel, RunOutcome, RunRequest } from './orchestration.js';
import { joinSources, mergeResults, type Merged } from './merge.js';
import { nodeScope } from './scope.js';
import { stopOf, stopOfSchedule } from './stop.js';
import { taskExecutor } from './task-executor.js';
import type { RunNode, StoppedBy, TaskNode } from './types.js';

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
  const { runId, goal, depth, signal } = request;
  const events = runtime.events.child(runId);
  const startedAt = runtime.clock.now();
  events.emit({ type: 'run.started', goal, depth, ...(request.parent ? { parentTaskId: request.parent.taskId } : {}) });
  const level: RunLevel = { runId, goal, depth, events, signal, records: new Map(), inFlight: new Set() };
  const ownLog = createCallLog(`${runId}/run`);
  const scope = nodeScope(settings, level, { log: ownLog });

  let tree: TaskTree | undefined = request.tree;
  let stoppedBy: StoppedBy | undefined;
  let failure: { readonly error: unknown } | undefined;
  if (!tree) {
    try {
      tree = await planGoal(
        goal,
        { model: scope.models.planner, agents: runtime.agents.list(), events, signal },
        { ...settings.planner, ...(request.plannerContext !== undefined ? { context: request.plannerContext } : {}) },
      );
    } catch (error) {
      stoppedBy = stopOf(error, signal);
      if (!stoppedBy) failure = { error };
    }
  }

  const schedule = tree
    ? await runTaskTree(tree, taskExecutor(settings, level, (child) => runGoal(settings, child)), {
        concurrency: settings.concurrency,
        failurePolicy: settings.failurePolicy,
        ...(settings.retry ? { retry: settings.retry } : {}),
        signal,
        budget: settings.budget,
        events,
        clock: runtime.clock,
        random: runtime.random,
      })
    : undefined;
  // Aborted attempts wind down promptly (they got the abort); their spend and sub-runs belong in the tree.
  while (level.inFlight.size > 0) await Promise.allSettled([...level.inFlight]);
  stoppedBy ??= stopOfSchedule(schedule?.stoppedBy, settings.guard);
  const sources = tree && schedule ? sourcesOf(tree, schedule) : [];

  // Merge what completed, unless a budget or cancellation already stopped the run (a model call would fail too).
  const stopped = stoppedBy?.kind === 'budget' || stoppedBy?.kind === 'cancelled';
  const merged: Merged = stopped
    ? { output: joinSources(sources) }
    : await mergeResults(settings, { goal, sources, model: scope.models.synthesizer, events, signal, ...(request.final ? { final: request.final } : {}) });
  // The first cause is the one reported, as the scheduler does.
  stoppedBy ??= merged.stoppedBy;
  failure ??= merged.failure;

  const tasks = tree && schedule ? taskNodes(settings, tree, schedule, level) : [];
  const own = ownLog.usage();
  const node: RunNode = {
    runId,
    goal,
    depth,
    ...(request.parent ? { parent: request.parent } : {}),
    planned: request.tree ? 'user' : 'planner',
    tasks,
    output: merged.output,
    ...(merged.synthesis ? { synthesis: merged.synthesis } : {}),
    ...(merged.refine ? { refine: merged.refine } : {}),
    ...(stoppedBy ? { stoppedBy } : {}),
    // The tree records a failure's stable code, `RUN_ERROR` when the thrown value has none.
    ...(failure ? { error: errorInfo(failure.error, 'RUN_ERROR') } : {}),
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

function sourcesOf(tree: TaskTree, schedule: ScheduleResult<string>): SynthesisSource[] {
  return tree.tasks.flatMap((task) => {
    const outcome = schedule.tasks[task.id];
    if (outcome?.status !== 'completed' || outcome.output === undefined) return [];
    return [{ taskId: task.id, title: task.title, output: outcome.output, agents: outcome.agents }];
  });
}

function taskNodes(settings: RunSettings, tree: TaskTree, schedule: ScheduleResult<string>, level: RunLevel): TaskNode[] {
  return tree.tasks.map((task) => {
    const outcome = schedule.tasks[task.id]!;
    const record = level.records.get(task.id);
    const own = record?.log.usage() ?? createCallLog('').usage();
    const subRuns = record?.subRuns.map((child) => child.node) ?? [];
    return {
      id: task.id,
      title: task.title,
      status: outcome.status,
      mode: record?.mode ?? 'agents',
      agents: outcome.agents,
      ...(outcome.output !== undefined ? { output: outcome.output } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
      attempts: outcome.attempts,
      ...(record?.decision ? { decision: record.decision } : {}),
      subRuns,
      caps: settings.guard.caps.filter((cap) => cap.runId === level.runId && cap.taskId === task.id),
      usage: { own, subtree: subRuns.reduce((sum, child) => addNodeUsage(sum, child.usage.subtree), own) },
    };
  });
}

function lineageOf(request: RunRequest, tree: TaskTree | undefined, schedule: ScheduleResult<string> | undefined, level: RunLevel): RunOutcome['lineage'] {
  const own = scheduleLineage({
    runId: request.runId,
    tree: tree ?? { goal: request.goal, tasks: [], droppedEdges: [], analysis: EMPTY_ANALYSIS },
    result: schedule ?? EMPTY_SCHEDULE,
    depth: request.depth,
    ...(request.parent ? { parent: request.parent } : {}),
    modelCalls: { callsFor: (taskId) => [...(level.records.get(taskId)?.log.records ?? [])], stop: () => undefined },
    childRunIds: Object.fromEntries([...level.records].map(([taskId, record]) => [taskId, record.subRuns.map((c) => c.node.runId)])),
  });
  // Children in task order (the tree's), so the lineage does not depend on completion order.
  const order = new Map((tree?.tasks ?? []).map((t, i) => [t.id, i]));
  const sorted = [...level.records]
    .sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
    .flatMap(([, record]) => record.subRuns);
  return [own, ...sorted.flatMap((child) => child.lineage)];
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
  counts: { completed: 0, failed: 0, skipped: 0, cancelled: 0, 'not-run': 0 },
  startedAt: 0,
  endedAt: 0,
};
