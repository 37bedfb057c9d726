import type { TaskSpec } from '../plan/types.js';
import type { WorkScope } from '../runtime/work-scope.js';
import type { TaskExecutionContext, TaskExecutor } from '../scheduler/types.js';
import { childPath } from '../durable/journal.js';
import { toolCallJournal } from '../durable/tool-journal.js';
import { journaledTask, noteCompletion, recordCompletion } from './journaled-task.js';
import { delegateTool, DELEGATE_TOOL } from './delegate-tool.js';
import { createCallLog } from '../runtime/call-log.js';
import type { RunGoal, RunLevel, RunSettings, TaskRecord } from './orchestration.js';
import { nodeScope } from './scope.js';
import type { Tool } from '../tools/types.js';
import type { GuardSite } from './guard.js';
import { approvalGate, TaskCoordination } from './task-coordination.js';
import { spawnSubRun, subGoalOf } from './sub-run.js';

/**
 * What the scheduler runs for each task of one run. A `decomposable` task becomes a sub-run one level
 * deeper when the depth cap and the repeat guard allow; otherwise (and for every other task) the
 * strategy coordinates agents on it. Everything the task spends and decides lands in its record.
 */
export function taskExecutor(settings: RunSettings, level: RunLevel, runGoal: RunGoal): TaskExecutor<string> {
  const execute = attemptOf(settings, level, runGoal);
  return (task, context) => {
    const attempt = execute(task, context);
    level.inFlight.add(attempt);
    const done = () => level.inFlight.delete(attempt);
    attempt.then(done, done);
    return attempt;
  };
}

/**
 * One attempt at a task. In a durable run, a task an earlier process completed is restored, not run;
 * a task that needs approval waits for it; and a completed task is journaled before the scheduler
 * hears of it, so its dependents never run on an output a crash could lose. Without a journal and an
 * approval there is none of that: the work, then (for a task with `compensate`) the completion noted.
 */
function attemptOf(settings: RunSettings, level: RunLevel, runGoal: RunGoal): TaskExecutor<string> {
  const work = workOf(settings, level, runGoal);
  const durable = async (task: TaskSpec, context: TaskExecutionContext<string>, record: TaskRecord): Promise<string> => {
    const restored = await journaledTask(settings, level, task, record, context);
    if (restored) return restored.output;
    record.inputs = context.inputs;
    if (task.approval) await approvalGate(settings, level, context.signal)({ kind: 'task', path: level.path, taskId: task.id, key: `task:${task.id}` }, task.approval);
    const agents: string[] = [];
    const output = await work(task, { ...context, reportAgent: (agent) => (agents.push(agent), context.reportAgent(agent)) }, record);
    await recordCompletion(settings, level, task, record, output, agents);
    return output;
  };
  return (task, context) => {
    const record = recordOf(level, task.id);
    if (settings.journal || task.approval) return durable(task, context, record);
    record.inputs = context.inputs;
    const done = work(task, context, record);
    // Only a task that can be compensated is noted: a run without a journal counts nothing else.
    return task.compensate
      ? done.then((output) => {
          noteCompletion(settings, level, task, output);
          return output;
        })
      : done;
  };
}

/** The work of one attempt: a sub-run, or the strategy coordinating agents. */
function workOf(settings: RunSettings, level: RunLevel, runGoal: RunGoal) {
  // The runtime's tools and `delegate`, for agents that may delegate: built once for the level.
  let tools: ReadonlyMap<string, Tool> | undefined;
  const agentTools = () => (tools ??= new Map(settings.runtime.tools).set(DELEGATE_TOOL, delegateTool(settings, level, runGoal, (taskId) => recordOf(level, taskId))));
  const byAgents = (task: TaskSpec, context: TaskExecutionContext<string>, record: TaskRecord, site: GuardSite): Promise<string> => {
    try {
      return coordinated(settings, level, task, context, record, site, agentTools);
    } catch (error) {
      // A throw before the strategy's promise (a pinned agent missing): a rejection, as from an async function.
      return Promise.reject(error);
    }
  };
  return (task: TaskSpec, context: TaskExecutionContext<string>, record: TaskRecord): Promise<string> => {
    const site: GuardSite = { runId: level.runId, taskId: task.id, depth: level.depth, events: level.events };
    return task.decomposable ? decomposed(settings, level, runGoal, task, context, record, site, byAgents) : byAgents(task, context, record, site);
  };
}

/** A `decomposable` task: a sub-run one level deeper when the guard admits it, else done by agents. */
async function decomposed(
  settings: RunSettings,
  level: RunLevel,
  runGoal: RunGoal,
  task: TaskSpec,
  context: TaskExecutionContext<string>,
  record: TaskRecord,
  site: GuardSite,
  byAgents: (task: TaskSpec, context: TaskExecutionContext<string>, record: TaskRecord, site: GuardSite) => Promise<string>,
): Promise<string> {
  const goal = subGoalOf(task, context.inputs);
  const admitted = settings.guard.admitSubRun(site, goal);
  if ('ticket' in admitted) {
    record.mode = 'sub-run';
    const child = await spawnSubRun(settings, level, runGoal, { taskId: task.id, path: childPath(level.path, task.id), goal, record, ticket: admitted.ticket, signal: context.signal });
    for (const t of child.node.tasks) for (const agent of t.agents) context.reportAgent(agent);
    return child.node.output;
  }
  // At the cap (or a repeat) the task is still done, directly by agents; its caps say why.
  return byAgents(task, context, record, site);
}

/** The strategy coordinating agents on a task, in the task's scope; the decision lands in its record. */
function coordinated(
  settings: RunSettings,
  level: RunLevel,
  task: TaskSpec,
  context: TaskExecutionContext<string>,
  record: TaskRecord,
  site: GuardSite,
  agentTools: () => ReadonlyMap<string, Tool>,
): Promise<string> {
  // A tool of the same name the caller registered wins (offerDelegate is false then).
  const delegates = level.depth < settings.maxDepth && settings.offerDelegate;
  // One scope serves the strategy and the agents: only agents read its tools.
  const scope = nodeScope(settings, level, { log: record.log, taskId: task.id, signal: context.signal, tools: delegates ? agentTools() : undefined });
  const toolJournal = settings.journal
    ? toolCallJournal(settings.journal, { path: level.path, taskId: task.id }, (record.toolCalls ??= new Map()), {
        tools: settings.runtime.tools,
        clock: scope.clock,
        signal: context.signal,
        events: level.events,
      })
    : undefined;
  const coordination = new TaskCoordination(settings, level, task, context, record, site, scope, toolJournal);
  // Without tools or a strategy of the caller's, nothing inside can start a Task(): no work scope to track.
  const result = settings.workMayNest
    ? settings.runtime.work.run(workScopeOf(settings, level, task, context, site), () => settings.strategy.coordinate(coordination), { mayNest: true })
    : settings.strategy.coordinate(coordination);
  return Promise.resolve(result).then((done) => {
    record.decision = done.decision;
    for (const agent of done.agents) context.reportAgent(agent);
    return done.output;
  });
}

/**
 * A Task() started inside a task's work (from a tool, the strategy) is its child: one level deeper, in
 * this orchestration's agent cap, charged to its budget, stopped with the attempt.
 */
function workScopeOf(settings: RunSettings, level: RunLevel, task: TaskSpec, context: TaskExecutionContext<string>, site: GuardSite): WorkScope {
  return {
    depth: level.depth,
    maxDepth: settings.maxDepth,
    budget: settings.budget,
    signal: context.signal,
    runId: level.runId,
    taskId: task.id,
    admitAgent: (agent, prompt) => {
      const admission = settings.guard.admitAgent(site, agent, prompt);
      return admission.kind === 'reuse' ? { kind: 'reuse', result: admission.result } : admission;
    },
  };
}

function recordOf(level: RunLevel, taskId: string): TaskRecord {
  let record = level.records.get(taskId);
  if (!record) {
    record = { log: createCallLog(`${level.runId}/${taskId}`), mode: 'agents', subRuns: [] };
    level.records.set(taskId, record);
  }
  return record;
}
