import { ConfigError } from '../errors/taskforce-error.js';
import { errorMessage } from '../errors/error-info.js';
import type { Model } from '../model/types.js';
import { PlanValidationError } from '../plan/errors.js';
import { DEFAULT_PLANNER_LIMITS, PlannerReply } from '../plan/planner.js';
import { formatProblem, type PlanProblem } from '../plan/problems.js';
import { capabilityVocabulary, describeAgents, describeLimits } from '../plan/prompt.js';
import { treeOf } from '../plan/tree.js';
import type { TaskSpec, TaskTree } from '../plan/types.js';
import { validatePlan, type PlanLimits } from '../plan/validate.js';
import { createCallLog, type CallLog, type LoggedCall } from '../runtime/call-log.js';
import type { ScheduleResult, TaskErrorInfo, TaskExecutor, TaskOutcome, TaskStatus } from '../scheduler/types.js';
import { fillTemplate, readPromptTemplate } from '../util/prompt-template.js';
import { restoreCalls } from './journaled-task.js';
import type { ReplanOptions, RunLevel, RunSettings, TaskRecord } from './orchestration.js';
import { stopOf } from './stop.js';
import type { ReplanRecord, RunNode, StoppedBy } from './types.js';

export type { ReplanOptions };

/** Throws `ConfigError` unless `replan` is `{ maxReplans }` with an integer ≥ 1. */
export function checkReplanOptions(replan: unknown): void {
  const max: unknown = typeof replan === 'object' && replan !== null ? (replan as { maxReplans?: unknown }).maxReplans : undefined;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1)
    throw new ConfigError(`orchestrate: replan.maxReplans must be an integer of at least 1, got ${typeof replan === 'object' && replan !== null ? String(max) : String(replan)}`);
}

/** Failures a re-plan cannot help: a decision (a rejection), an earlier process's failure, a stop, the agent cap. */
const NOT_REPLANNED = new Set(['APPROVAL_REJECTED', 'TASK_FAILED_EARLIER', 'BUDGET_EXCEEDED', 'ABORTED', 'RECURSION_CAPPED']);

/** Failed tasks of a run node that still stand: failed, and not replaced by a re-plan. */
export function openFailures(node: Pick<RunNode, 'tasks' | 'replans'>): RunNode['tasks'] {
  const replaced = new Set((node.replans ?? []).filter((r) => r.outcome === 'replaced').map((r) => r.failedTaskId));
  return node.tasks.filter((t) => t.status === 'failed' && !replaced.has(t.id));
}

/** How one level schedules its tasks: what `runGoal` hands over. */
export interface LevelScheduling {
  readonly goal: string;
  /** The level's planner model (asked for re-plans). */
  readonly planner: () => Model;
  /** The level's own call log, where the planner's calls land (journaled with a re-plan). */
  readonly log: CallLog;
  readonly execute: TaskExecutor<string>;
  /** Runs one schedule of `tree` (budgets, signal, events and policies are the caller's). */
  readonly schedule: (tree: TaskTree, execute: TaskExecutor<string>) => Promise<ScheduleResult<string>>;
}

/** A level's schedule, re-plans included. */
export interface LevelSchedule {
  /**
   * What ran, in order: the original tasks (completed, failed, skipped...), then each re-plan's new
   * tasks. A replaced failed task stays (status `failed`); the dependents it replaced (which never ran) do not.
   */
  readonly tree: TaskTree;
  /** Every task of `tree`, with its outcome where it really ran (a completed task carried into a re-plan keeps its first outcome). */
  readonly schedule: ScheduleResult<string>;
  /** `tree` without the failures a re-plan replaced: the failures that stand, for dead letters. */
  readonly open: TaskTree;
  readonly replans?: readonly ReplanRecord[];
  /** A budget or cancellation that stopped a re-plan. */
  readonly stoppedBy?: StoppedBy;
}

/** A task off the schedule for good (failed, or skipped behind a failure that stands), with what it spent. */
interface Settled {
  readonly task: TaskSpec;
  readonly outcome: TaskOutcome<string>;
  readonly calls: readonly LoggedCall[];
  readonly mode: TaskRecord['mode'];
  readonly decision?: TaskRecord['decision'];
}

/** A re-plan as journaled (`plan.accepted`, key `replan-<round>`): a resumed run starts from its tree. */
interface JournaledReplan {
  readonly tree: TaskTree;
  readonly calls: readonly LoggedCall[];
  readonly replans: readonly ReplanRecord[];
  readonly settled: readonly Settled[];
  readonly order: readonly (readonly [string, number])[];
  readonly droppedEdges: readonly (readonly [string, string])[];
}

/**
 * Schedules a level's tree. With `settings.replan`, a task that failed for good (not a stop, a
 * rejection or an earlier process's failure) is handed to the planner with the completed tasks' outputs;
 * its reply replaces the failed task and everything depending on it, and the schedule runs again on
 * the completed tasks (answered at once, not run again) plus the new ones, until nothing fails or the
 * re-plans run out. A durable run journals each accepted re-plan, and a resumed run starts from the last one.
 */
export async function scheduleLevel(settings: RunSettings, level: RunLevel, initial: TaskTree, input: LevelScheduling): Promise<LevelSchedule> {
  const state = await resumedState(settings, level, input.log) ?? freshState(initial);
  if (!settings.replan && state.replans.length === 0) {
    const schedule = await input.schedule(initial, input.execute);
    return { tree: initial, schedule, open: initial };
  }
  const maxReplans = settings.replan?.maxReplans ?? 0;
  for (;;) {
    const tree = state.tree;
    const schedule = await input.schedule(tree, carriedExecutor(state.carried, input.execute));
    // Aborted attempts wind down before their tasks are planned or scheduled again.
    while (level.inFlight.size > 0) await Promise.allSettled([...level.inFlight]);
    for (const task of tree.tasks) {
      const outcome = schedule.tasks[task.id];
      if (outcome?.status !== 'completed' || state.carried.has(task.id)) continue;
      state.carried.set(task.id, { output: outcome.output ?? '', agents: outcome.agents });
      state.firstOutcomes.set(task.id, outcome);
    }
    const stop = schedule.stoppedBy?.kind;
    if ((stop !== undefined && stop !== 'failure') || level.signal.aborted) return finish(state, schedule);
    const next = await replanPass(settings, level, input, state, schedule, maxReplans);
    if (next.stoppedBy || !next.tree) return finish(state, schedule, next.stoppedBy);
    state.tree = next.tree;
  }
}

/** What the re-plan loop of one level keeps between schedules. */
interface ReplanState {
  tree: TaskTree;
  readonly replans: ReplanRecord[];
  readonly settled: Settled[];
  /** Completed tasks' outputs and agents, answered at once when a later schedule reaches them. */
  readonly carried: Map<string, { readonly output: string; readonly agents: readonly string[] }>;
  /** The outcome each completed task had where it really ran. */
  readonly firstOutcomes: Map<string, TaskOutcome<string>>;
  /** Position of each task in the record: originals first, then each re-plan's tasks. */
  readonly order: Map<string, number>;
  readonly droppedEdges: Map<string, readonly [string, string]>;
}

function freshState(tree: TaskTree): ReplanState {
  return {
    tree,
    replans: [],
    settled: [],
    carried: new Map(),
    firstOutcomes: new Map(),
    order: new Map(tree.tasks.map((t, i) => [t.id, i])),
    droppedEdges: new Map(tree.droppedEdges.map((edge) => [edge.join('\u0000'), edge])),
  };
}

/** The last re-plan an earlier process journaled at this level, its planner calls and settled tasks' calls put back. */
async function resumedState(settings: RunSettings, level: RunLevel, log: CallLog): Promise<ReplanState | undefined> {
  const entries = settings.journal?.all('plan.accepted').filter((e) => e.path === level.path && e.key.startsWith(REPLAN_KEY)) ?? [];
  const last = entries.at(-1)?.data as JournaledReplan | undefined;
  if (!last) return undefined;
  for (const entry of entries) restoreCalls(settings, log, (entry.data as JournaledReplan).calls);
  for (const settled of last.settled) {
    const record: TaskRecord = { log: createCallLog(`${level.runId}/${settled.task.id}`), mode: settled.mode, subRuns: [], ...(settled.decision ? { decision: settled.decision } : {}) };
    restoreCalls(settings, record.log, settled.calls);
    level.records.set(settled.task.id, record);
  }
  return {
    tree: last.tree,
    replans: [...last.replans],
    settled: [...last.settled],
    carried: new Map(),
    firstOutcomes: new Map(),
    order: new Map(last.order),
    droppedEdges: new Map(last.droppedEdges.map((edge) => [edge.join('\u0000'), edge])),
  };
}

const REPLAN_KEY = 'replan-';

/** Completed tasks answer at once with their output (and agents); every other task runs. */
function carriedExecutor(carried: ReplanState['carried'], execute: TaskExecutor<string>): TaskExecutor<string> {
  return async (task, context) => {
    const done = carried.get(task.id);
    if (!done) return execute(task, context);
    for (const agent of done.agents) context.reportAgent(agent);
    return done.output;
  };
}

/**
 * One pass over a schedule's failures, in tree order: each that may be re-planned, while re-plans
 * remain, goes to the planner; the rest stand, with their dependents. Returns the next tree when some
 * failure was replaced, or the stop that ended a planner call.
 */
async function replanPass(
  settings: RunSettings,
  level: RunLevel,
  input: LevelScheduling,
  state: ReplanState,
  schedule: ScheduleResult<string>,
  maxReplans: number,
): Promise<{ readonly tree?: TaskTree; readonly stoppedBy?: StoppedBy }> {
  const tree = state.tree;
  const failed = tree.tasks.filter((t) => schedule.tasks[t.id]?.status === 'failed');
  if (failed.length === 0) return {};
  const callsBefore = input.log.records.length;
  const blocked = dependentsOf(tree.tasks, new Set(failed.map((t) => t.id)));
  const base = tree.tasks.filter((t) => !blocked.has(t.id) && schedule.tasks[t.id]?.status !== 'failed');
  const fresh: TaskSpec[] = [];
  const dropped = new Set<string>();
  const standing = new Set<string>();
  let next: TaskTree | undefined;
  for (const task of failed) {
    const error: TaskErrorInfo = schedule.tasks[task.id]!.error ?? { message: 'failed', code: 'TASK_ERROR' };
    const dependents = [...dependentsOf(tree.tasks, new Set([task.id]))].filter((id) => !dropped.has(id) && !standing.has(id));
    const replace = [task.id, ...tree.tasks.map((t) => t.id).filter((id) => dependents.includes(id))];
    const stands = () => replace.forEach((id) => standing.add(id));
    if (NOT_REPLANNED.has(error.code)) {
      stands();
      continue;
    }
    const round = state.replans.filter((r) => r.outcome === 'replaced').length + 1;
    const record = { failedTaskId: task.id, error: { message: error.message, code: error.code }, replacedTaskIds: replace, round };
    if (round > maxReplans) {
      state.replans.push({ ...record, newTaskIds: [], outcome: 'exhausted', reason: `no re-plans left (maxReplans ${maxReplans})` });
      stands();
      continue;
    }
    const taken = new Set([...tree.tasks.map((t) => t.id), ...state.settled.map((s) => s.task.id), ...fresh.map((t) => t.id)]);
    for (const id of replace.slice(1)) taken.delete(id);
    try {
      const reply = await askPlanner(settings, level, input, {
        tree,
        schedule,
        carried: state.carried,
        kept: [...fresh, ...base],
        failed: task,
        error,
        replace,
        taken,
      });
      fresh.unshift(...reply.tasks);
      next = reply.tree;
      replace.forEach((id) => dropped.add(id));
      const newTaskIds = reply.tasks.map((t) => t.id);
      state.replans.push({ ...record, newTaskIds, outcome: 'replaced' });
      level.events.emit({ type: 'plan.replanned', failedTaskId: task.id, replacedTaskIds: replace, newTaskIds, round });
    } catch (error) {
      const stoppedBy = stopOf(error, level.signal);
      if (stoppedBy) return { stoppedBy };
      const reason = `the re-plan was rejected: ${errorMessage(error)}`;
      state.replans.push({ ...record, newTaskIds: [], outcome: 'invalid', reason });
      level.events.emit({ type: 'log', level: 'warn', message: `task "${task.id}" failed and could not be re-planned: ${reason}` });
      stands();
    }
  }
  if (!next) return {};

  // The failed tasks, and the dependents of failures that stand, leave the schedule with their outcomes.
  for (const task of tree.tasks) {
    if (!(schedule.tasks[task.id]?.status === 'failed' || (standing.has(task.id) && !dropped.has(task.id)))) continue;
    const record = level.records.get(task.id);
    state.settled.push({
      task,
      outcome: schedule.tasks[task.id]!,
      calls: record?.log.records ?? [],
      mode: record?.mode ?? 'agents',
      ...(record?.decision ? { decision: record.decision } : {}),
    });
  }
  let position = Math.max(-1, ...state.order.values()) + 1;
  const fromNow = new Set(fresh.map((t) => t.id));
  for (const task of next.tasks) if (fromNow.has(task.id)) state.order.set(task.id, position++);
  for (const edge of next.droppedEdges) state.droppedEdges.set(edge.join('\u0000'), edge);
  const round = state.replans.filter((r) => r.outcome === 'replaced').length;
  await settings.journal?.append('plan.accepted', level.path, `${REPLAN_KEY}${round}`, {
    tree: next,
    calls: input.log.records.slice(callsBefore),
    replans: state.replans,
    settled: state.settled,
    order: [...state.order],
    droppedEdges: [...state.droppedEdges.values()],
  } satisfies JournaledReplan);
  return { tree: next };
}

/** Every task that depends on one of `ids`, directly or through others (`ids` excluded). */
function dependentsOf(tasks: readonly TaskSpec[], ids: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  // Tasks are in topological order: one pass sees every dependency before its dependents.
  for (const task of tasks) if (task.dependsOn.some((dep) => ids.has(dep) || found.has(dep))) found.add(task.id);
  for (const id of ids) found.delete(id);
  return found;
}

interface ReplanAsk {
  readonly tree: TaskTree;
  readonly schedule: ScheduleResult<string>;
  readonly carried: ReplanState['carried'];
  /** The tasks that stay: completed, still to run, and earlier replacements of this pass. */
  readonly kept: readonly TaskSpec[];
  readonly failed: TaskSpec;
  readonly error: TaskErrorInfo;
  readonly replace: readonly string[];
  /** Ids a new task may not use. */
  readonly taken: ReadonlySet<string>;
}

/**
 * Asks the planner for the tasks that replace `ask.replace`, validating the whole new plan (kept tasks
 * plus the reply) with the plan rules and re-asking with the problems, like `planGoal`. Returns the new
 * tasks and the tree to schedule; throws `PlanValidationError` when every reply was invalid.
 */
async function askPlanner(settings: RunSettings, level: RunLevel, input: LevelScheduling, ask: ReplanAsk): Promise<{ readonly tasks: readonly TaskSpec[]; readonly tree: TaskTree }> {
  const planner = settings.planner;
  const limits: PlanLimits = {
    maxTasks: planner.maxTasks ?? DEFAULT_PLANNER_LIMITS.maxTasks,
    maxBreadth: planner.maxBreadth ?? DEFAULT_PLANNER_LIMITS.maxBreadth,
    maxDepth: planner.maxDepth ?? DEFAULT_PLANNER_LIMITS.maxDepth,
  };
  const agents = settings.runtime.agents.list();
  const maxReasks = planner.maxReasks ?? 2;
  const model = input.planner();
  let feedback = '';
  let lastProblems: readonly PlanProblem[] = [];
  for (let attempt = 1; attempt <= maxReasks + 1; attempt++) {
    const prompt = replanPrompt(input.goal, agents, limits, ask, feedback);
    const { object } = await model.generateObject({
      prompt,
      schema: PlannerReply,
      schemaName: 'replan',
      schemaDescription: 'The tasks that replace a failed task and its dependents: ids, instructions, capabilities and dependencies',
      signal: level.signal,
      ...(planner.maxTokens !== undefined ? { maxTokens: planner.maxTokens } : {}),
      ...(planner.temperature !== undefined ? { temperature: planner.temperature } : {}),
    });
    const tasks: TaskSpec[] = object.tasks;
    const newIds = new Set(tasks.map((t) => t.id));
    const problems: PlanProblem[] = tasks
      .filter((t) => ask.taken.has(t.id) && !ask.kept.some((k) => k.id === t.id))
      .map((t) => ({ kind: 'duplicate-id', taskId: t.id, message: `task id "${t.id}" is taken by a task that ran (or failed); choose a new id` }));
    const result = validatePlan(
      { goal: ask.tree.goal, tasks: [...tasks, ...ask.kept] },
      { ...limits, ...(agents.length > 0 ? { knownCapabilities: capabilityVocabulary(agents) } : {}) },
    );
    // Capabilities are the new tasks' business; the kept ones were accepted already.
    if (!result.ok) problems.push(...result.problems.filter((p) => p.kind !== 'unknown-capability' || (p.taskId !== undefined && newIds.has(p.taskId))));
    if (result.ok && problems.length === 0) return { tasks, tree: treeOf(result.plan) };
    lastProblems = problems;
    const errors = problems.map(formatProblem);
    level.events.emit({ type: 'plan.invalid', attempt, errors });
    feedback =
      '\n# Your previous reply was rejected\n\nYour previous reply:\n\n```json\n' +
      `${JSON.stringify(object, null, 2)}\n` +
      '```\n\nIt broke these rules:\n\n' +
      errors.map((e) => `- ${e}`).join('\n') +
      '\n\nFix every problem and reply with all your new tasks again.\n';
  }
  throw new PlanValidationError({ problems: lastProblems, attempts: maxReasks + 1, goal: input.goal });
}

/** Longest completed output the re-plan prompt quotes. */
const MAX_OUTPUT_CHARS = 1200;

function replanPrompt(goal: string, agents: ReturnType<RunSettings['runtime']['agents']['list']>, limits: PlanLimits, ask: ReplanAsk, feedback: string): string {
  const outputOf = (id: string) => ask.carried.get(id)?.output ?? ask.schedule.tasks[id]?.output ?? '';
  const isDone = (id: string) => ask.carried.has(id) || ask.schedule.tasks[id]?.status === 'completed';
  const completed = ask.kept.filter((t) => isDone(t.id));
  const pending = ask.kept.filter((t) => !isDone(t.id));
  const values = {
    goal: goal.trim(),
    completed:
      completed.map((t) => `<completed-task id="${t.id}" title="${attr(t.title)}">\n${clip(outputOf(t.id))}\n</completed-task>`).join('\n\n') || '(none)',
    pending: pending.length
      ? `\n# Tasks still to run (kept as they are)\n\n${pending.map((t) => `- \`${t.id}\`: ${t.title}`).join('\n')}\n`
      : '',
    failed:
      `<failed-task id="${ask.failed.id}" title="${attr(ask.failed.title)}">\n` +
      `Instructions: ${ask.failed.instructions.trim()}\n` +
      `Error (${ask.error.code}): ${ask.error.message}\n</failed-task>`,
    replace: ask.replace.join(', '),
    failedId: ask.failed.id,
    agents: describeAgents(agents),
    capabilities: capabilityVocabulary(agents).join(', ') || "(none: leave every task's capabilities empty)",
    limits: describeLimits(limits),
    feedback,
  };
  return fillTemplate(readPromptTemplate('replan'), values, 'replan', ['goal', 'completed', 'failed', 'replace']);
}

function clip(text: string): string {
  return text.length > MAX_OUTPUT_CHARS ? `${text.slice(0, MAX_OUTPUT_CHARS)} […clipped]` : text;
}

function attr(text: string): string {
  return text.replace(/"/g, '&quot;');
}

/** The record of a level after its last schedule: every task in order, with the outcome it really had. */
function finish(state: ReplanState, last: ScheduleResult<string>, stoppedBy?: StoppedBy): LevelSchedule {
  const entries: [TaskSpec, TaskOutcome<string>][] = [
    ...state.tree.tasks.map((t): [TaskSpec, TaskOutcome<string>] => [t, state.firstOutcomes.get(t.id) ?? last.tasks[t.id]!]),
    ...state.settled.map((s): [TaskSpec, TaskOutcome<string>] => [s.task, s.outcome]),
  ];
  const position = (id: string) => state.order.get(id) ?? Number.MAX_SAFE_INTEGER;
  entries.sort(([a], [b]) => position(a.id) - position(b.id));
  const tasks = entries.map(([task]) => task);
  const ids = new Set(tasks.map((t) => t.id));
  const tree: TaskTree = {
    ...state.tree,
    tasks,
    droppedEdges: [...state.droppedEdges.values()].filter(([task, dep]) => ids.has(task) && ids.has(dep)),
  };
  const counts: Record<TaskStatus, number> = { completed: 0, failed: 0, skipped: 0, cancelled: 0, 'not-run': 0, waiting: 0 };
  for (const [, outcome] of entries) counts[outcome.status] += 1;
  const replaced = new Set(state.replans.filter((r) => r.outcome === 'replaced').map((r) => r.failedTaskId));
  const standing = entries.some(([task, outcome]) => outcome.status === 'failed' && !replaced.has(task.id));
  const schedule: ScheduleResult<string> = {
    ...last,
    status: last.status === 'completed' && standing ? 'failed' : last.status,
    tasks: Object.fromEntries(entries.map(([task, outcome]) => [task.id, outcome])),
    counts,
  };
  return {
    tree,
    schedule,
    open: { ...tree, tasks: tasks.filter((t) => !replaced.has(t.id)) },
    ...(state.replans.length > 0 ? { replans: [...state.replans] } : {}),
    ...(stoppedBy ? { stoppedBy } : {}),
  };
}
