import type { EventBus } from '../../events/bus.js';
import { planGoal } from '../../plan/planner.js';
import type { TaskTree } from '../../plan/types.js';
import { scheduleLineage } from '../lineage.js';
import { runTaskTree } from '../scheduler/scheduler.js';
import type { ScheduleResult } from '../scheduler/types.js';
import { synthesize } from '../synthesis/synthesize.js';
import type { SynthesisResult, SynthesisSource } from '../synthesis/types.js';
import { addNodeUsage, createCallLog } from './metered-model.js';
import type { Orchestration, RunFrame, RunOutcome, RunRequest } from './orchestration.js';
import { refineAnswer } from './refine.js';
import { scopedRuntime } from './scope.js';
import { stopOf, stopOfSchedule } from './stop.js';
import { taskExecutor } from './task-executor.js';
import type { RefineSummary, RunNode, StoppedBy, SynthesisSummary, TaskNode } from './types.js';

/**
 * Runs one level of the tree: plan (unless a plan was given) → schedule the tasks through the
 * strategy (decomposable ones recurse) → synthesize the completed results → (top level only) refine.
 * A budget or cancellation at any step ends the run with `stoppedBy` and whatever finished; any other
 * error is thrown.
 */
export async function runGoal(o: Orchestration, request: RunRequest): Promise<RunOutcome> {
  const { runtime } = o;
  const { runId, goal, depth, signal } = request;
  const events = runtime.events.child(runId);
  const startedAt = runtime.clock.now();
  events.emit({ type: 'run.started', goal, depth, ...(request.parent ? { parentTaskId: request.parent.taskId } : {}) });
  const ownLog = createCallLog(`${runId}/run`);
  const scope = scopedRuntime(runtime, {
    events,
    log: ownLog,
    ...(o.runBudget ? { runBudget: o.runBudget } : {}),
    budget: o.budget,
    maxDepth: o.maxDepth,
    signal,
  });

  let tree: TaskTree | undefined = request.tree;
  let stoppedBy: StoppedBy | undefined;
  if (!tree) {
    try {
      tree = await planGoal(
        goal,
        { model: scope.models.planner, agents: runtime.agents.list(), events, signal },
        { ...o.planner, ...(request.plannerContext !== undefined ? { context: request.plannerContext } : {}) },
      );
    } catch (error) {
      stoppedBy = stopOf(error, signal);
      if (!stoppedBy) throw failed(events, error);
    }
  }

  const frame: RunFrame = { runId, goal, depth, events, signal, records: new Map() };
  const schedule = tree
    ? await runTaskTree(tree, taskExecutor(o, frame), {
        concurrency: o.concurrency,
        failurePolicy: o.failurePolicy,
        ...(o.retry ? { retry: o.retry } : {}),
        signal,
        budget: o.budget,
        events,
        clock: runtime.clock,
        random: runtime.random,
      })
    : undefined;
  stoppedBy ??= stopOfSchedule(schedule?.stoppedBy, o.guard);
  const sources = tree && schedule ? sourcesOf(tree, schedule) : [];

  // Merge what completed, unless a budget or cancellation already stopped the run (a model call would fail too).
  let output = sources.map((s) => `[${s.taskId}] ${s.title}\n\n${s.output}`).join('\n\n');
  let value: unknown;
  let synthesis: SynthesisSummary | undefined;
  let refine: RefineSummary | undefined;
  const final = request.final;
  if (sources.length > 0 && stoppedBy?.kind !== 'budget' && stoppedBy?.kind !== 'cancelled') {
    try {
      const merged: SynthesisResult<unknown> = await synthesize({
        goal,
        results: sources,
        model: scope.models.synthesizer,
        events,
        signal,
        ...(final?.outputSchema ? { outputSchema: final.outputSchema } : {}),
        ...(final?.rubric !== undefined ? { rubric: final.rubric } : {}),
        ...(final?.strict !== undefined ? { strict: final.strict } : {}),
        ...(o.synthesis.maxAttempts !== undefined ? { maxAttempts: o.synthesis.maxAttempts } : {}),
        ...(o.synthesis.maxTokens !== undefined ? { maxTokens: o.synthesis.maxTokens } : {}),
      } as Parameters<typeof synthesize>[0]);
      synthesis = { citations: merged.citations, passed: merged.passed, attempts: merged.attempts, checks: merged.checks };
      value = merged.output;
      output = typeof merged.output === 'string' ? merged.output : JSON.stringify(merged.output);
    } catch (error) {
      const stop = stopOf(error, signal);
      if (!stop) throw failed(events, error);
      // The first cause is the one reported, as the scheduler does.
      stoppedBy ??= stop;
    }
    if (final?.refine && synthesis && typeof value === 'string') {
      const refined = await refineAnswer({ goal, draft: output, model: scope.models.synthesizer, options: final.refine, events, signal });
      output = refined.output;
      value = refined.output;
      refine = refined.summary;
      stoppedBy ??= refined.stoppedBy;
    }
  }

  const tasks = tree && schedule ? taskNodes(o, tree, schedule, frame) : [];
  const own = ownLog.usage();
  const node: RunNode = {
    runId,
    goal,
    depth,
    ...(request.parent ? { parent: request.parent } : {}),
    planned: request.tree ? 'user' : 'planner',
    tasks,
    output,
    ...(synthesis ? { synthesis } : {}),
    ...(refine ? { refine } : {}),
    ...(stoppedBy ? { stoppedBy } : {}),
    usage: { own, subtree: tasks.reduce((sum, t) => addNodeUsage(sum, t.usage.subtree), own) },
  };
  events.emit({ type: 'run.completed', durationMs: runtime.clock.now() - startedAt, usage: node.usage.subtree.usage, costUsd: node.usage.subtree.costUsd });
  return { node, lineage: lineageOf(request, tree, schedule, frame), ...(value !== undefined ? { value } : {}) };
}

function sourcesOf(tree: TaskTree, schedule: ScheduleResult<string>): SynthesisSource[] {
  return tree.tasks.flatMap((task) => {
    const outcome = schedule.tasks[task.id];
    if (outcome?.status !== 'completed' || outcome.output === undefined) return [];
    return [{ taskId: task.id, title: task.title, output: outcome.output, agents: outcome.agents }];
  });
}

function taskNodes(o: Orchestration, tree: TaskTree, schedule: ScheduleResult<string>, frame: RunFrame): TaskNode[] {
  return tree.tasks.map((task) => {
    const outcome = schedule.tasks[task.id]!;
    const record = frame.records.get(task.id);
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
      caps: o.guard.caps.filter((cap) => cap.runId === frame.runId && cap.taskId === task.id),
      usage: { own, subtree: subRuns.reduce((sum, child) => addNodeUsage(sum, child.usage.subtree), own) },
    };
  });
}

function lineageOf(request: RunRequest, tree: TaskTree | undefined, schedule: ScheduleResult<string> | undefined, frame: RunFrame): RunOutcome['lineage'] {
  const own = scheduleLineage({
    runId: request.runId,
    tree: tree ?? { goal: request.goal, tasks: [], droppedEdges: [], analysis: EMPTY_ANALYSIS },
    result: schedule ?? EMPTY_SCHEDULE,
    depth: request.depth,
    ...(request.parent ? { parent: request.parent } : {}),
    modelCalls: { callsFor: (taskId) => [...(frame.records.get(taskId)?.log.records ?? [])], stop: () => undefined },
    childRunIds: Object.fromEntries([...frame.records].map(([taskId, record]) => [taskId, record.subRuns.map((c) => c.node.runId)])),
  });
  // Children in task order (the tree's), so the lineage does not depend on completion order.
  const order = new Map((tree?.tasks ?? []).map((t, i) => [t.id, i]));
  const sorted = [...frame.records]
    .sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
    .flatMap(([, record]) => record.subRuns);
  return [own, ...sorted.flatMap((child) => child.lineage)];
}

/** Reports the run as failed (`run.failed`) and returns the error, for the caller to throw. */
function failed(events: EventBus, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  events.emit({ type: 'run.failed', error: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) });
  return error;
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
