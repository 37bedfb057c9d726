import { runAgent } from '../agents/loop.js';
import type { AgentDefinition, AgentMatch, AgentRunResult } from '../agents/types.js';
import { AbortedError, ConfigError } from '../errors/taskforce-error.js';
import { BudgetExceededError } from '../errors/budget-errors.js';
import type { TaskSpec } from '../plan/types.js';
import type { WorkScope } from '../runtime/work-scope.js';
import type { TaskExecutionContext, TaskExecutor } from '../scheduler/types.js';
import { describeSubject, type ApprovalSubject } from '../errors/approval-errors.js';
import { awaitApproval, type ApprovalPolicy } from '../durable/approvals.js';
import { childPath } from '../durable/journal.js';
import { toolCallJournal } from '../durable/tool-journal.js';
import { journaledTask, recordCompletion, restoreCalls } from './journaled-task.js';
import { delegateTool, DELEGATE_TOOL } from './delegate-tool.js';
import { createCallLog } from '../runtime/call-log.js';
import type { RemoteStop, RunGoal, RunLevel, RunSettings, TaskRecord } from './orchestration.js';
import { nodeScope } from './scope.js';
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
 * hears of it, so its dependents never run on an output a crash could lose.
 */
function attemptOf(settings: RunSettings, level: RunLevel, runGoal: RunGoal): TaskExecutor<string> {
  const work = workOf(settings, level, runGoal);
  return async (task, context) => {
    const record = recordOf(level, task.id);
    const restored = await journaledTask(settings, level, task, record, context);
    if (restored) return restored.output;
    record.inputs = context.inputs;
    if (task.approval) await approvalGate(settings, level, context.signal)({ kind: 'task', path: level.path, taskId: task.id, key: `task:${task.id}` }, task.approval);
    const agents: string[] = [];
    const output = await work(task, { ...context, reportAgent: (agent) => (agents.push(agent), context.reportAgent(agent)) }, record);
    await recordCompletion(settings, level, task, record, output, agents);
    return output;
  };
}

/** Lets approved work through, in a durable run; anywhere else an approval cannot be waited for, so it is a `ConfigError`. */
function approvalGate(settings: RunSettings, level: RunLevel, signal: AbortSignal) {
  return async (subject: ApprovalSubject, policy: ApprovalPolicy): Promise<void> => {
    if (policy === false) return;
    if (!settings.journal)
      throw new ConfigError(`${describeSubject(subject)} requires approval, which needs a durable run: pass \`durable: true\` (or a \`runId\`) to orchestrate`);
    await awaitApproval(settings.journal, subject, policy, { clock: settings.runtime.clock, signal, events: level.events });
  };
}

/** The work of one attempt: a sub-run, or the strategy coordinating agents. */
function workOf(settings: RunSettings, level: RunLevel, runGoal: RunGoal) {
  return async (task: TaskSpec, context: TaskExecutionContext<string>, record: TaskRecord): Promise<string> => {
    const site = { runId: level.runId, taskId: task.id, depth: level.depth, events: level.events };

    if (task.decomposable) {
      const goal = subGoalOf(task, context.inputs);
      const admitted = settings.guard.admitSubRun(site, goal);
      if ('ticket' in admitted) {
        record.mode = 'sub-run';
        const child = await spawnSubRun(settings, level, runGoal, { taskId: task.id, path: childPath(level.path, task.id), goal, record, ticket: admitted.ticket, signal: context.signal });
        for (const t of child.node.tasks) for (const agent of t.agents) context.reportAgent(agent);
        return child.node.output;
      }
      // At the cap (or a repeat) the task is still done, directly by agents; its caps say why.
    }

    const scope = nodeScope(settings, level, { log: record.log, taskId: task.id, signal: context.signal });
    const toolJournal = settings.journal
      ? toolCallJournal(settings.journal, { path: level.path, taskId: task.id }, (record.toolCalls ??= new Map()), {
          tools: scope.tools,
          clock: scope.clock,
          signal: context.signal,
          events: level.events,
        })
      : undefined;
    // A tool of the same name the caller registered wins (offerDelegate is false then).
    const delegates = level.depth < settings.maxDepth && settings.offerDelegate;
    const agentScope = delegates
      ? { ...scope, tools: new Map([...scope.tools, [DELEGATE_TOOL, delegateTool(settings, level, runGoal, task.id, record)]]) }
      : scope;
    // A Task() started inside this task's work (from a tool, the strategy) is its child: one level
    // deeper, in this orchestration's agent cap, charged to its budget, stopped with the attempt.
    const work: WorkScope = {
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
    const result = await settings.runtime.work.run(work, () => settings.strategy.coordinate({
      goal: level.goal,
      task,
      candidates: candidatesFor(settings, task),
      inputs: context.inputs,
      modelFor: (agent) => scope.models.forAgent(agent),
      get judgeModel() {
        return scope.models.synthesizer;
      },
      store: scope.store,
      random: scope.random,
      clock: scope.clock,
      events: scope.events,
      signal: context.signal,
      depth: level.depth,
      depthLeft: settings.maxDepth - level.depth,
      async runAgent(agent: AgentDefinition, prompt: string, options?: { readonly system?: string }): Promise<AgentRunResult> {
        const admission = settings.guard.admitAgent(site, agent.name, prompt);
        if (admission.kind === 'reuse') return admission.result;
        level.events.emit({ type: 'agent.assigned', taskId: task.id, agent: agent.name, strategy: settings.strategy.name });
        try {
          if (agent.approval)
            await approvalGate(settings, level, context.signal)(
              { kind: 'agent', path: level.path, taskId: task.id, name: agent.name, key: `agent:${task.id}:${agent.name}` },
              agent.approval,
            );
          const system = options?.system !== undefined ? { system: options.system } : {};
          const result = settings.agentRunner
            ? await runElsewhere(settings, level, record, { taskId: task.id, agent: agent.name, prompt, ...system }, context.signal)
            : await runAgent(agentScope, agent, prompt, { taskId: task.id, signal: context.signal, ...(toolJournal ? { toolJournal } : {}), ...system });
          admission.ticket.done(result);
          return result;
        } catch (error) {
          admission.ticket.release();
          throw error;
        }
      },
    }), { mayNest: settings.workMayNest });
    record.decision = result.decision;
    for (const agent of result.agents) context.reportAgent(agent);
    return result.output;
  };
}

/**
 * An agent run on the run's `agentRunner`: its calls go into the task's node and are counted in the
 * run's budget after (reserved before each one, when the budget is shared with the workers).
 */
async function runElsewhere(
  settings: RunSettings,
  level: RunLevel,
  record: TaskRecord,
  request: { readonly taskId: string; readonly agent: string; readonly prompt: string; readonly system?: string },
  signal: AbortSignal,
): Promise<AgentRunResult> {
  settings.budget.check();
  const runs = (record.remoteRuns ??= new Map());
  const run = (runs.get(request.agent) ?? 0) + 1;
  runs.set(request.agent, run);
  const remote = await settings.agentRunner!.run(
    {
      ...request,
      run,
      runId: level.runId,
      path: level.path,
      depth: level.depth,
      ...(settings.journal ? { journalRunId: settings.journal.runId } : {}),
      ...(settings.sharedBudget ? { budget: settings.sharedBudget } : {}),
    },
    signal,
  );
  restoreCalls(settings, record.log, remote.calls);
  if ('stop' in remote) throw stopError(remote.stop);
  return remote.result;
}

/** The error a stop reported from elsewhere stands for, so the run stops as it would in process. */
function stopError(stop: RemoteStop): Error {
  return stop.code === 'BUDGET_EXCEEDED' ? new BudgetExceededError(stop.budget, stop.used, stop.limit, stop.needed) : new AbortedError(stop.message);
}

function recordOf(level: RunLevel, taskId: string): TaskRecord {
  let record = level.records.get(taskId);
  if (!record) {
    record = { log: createCallLog(`${level.runId}/${taskId}`), mode: 'agents', subRuns: [] };
    level.records.set(taskId, record);
  }
  return record;
}

/**
 * The agents for a task, best first: the plan's pinned agent, else the matcher's ranking; when no
 * agent matches at all, every agent (ranked), so a task is never dropped for want of a perfect fit.
 */
export function candidatesFor(settings: Pick<RunSettings, 'runtime'>, task: TaskSpec): AgentMatch[] {
  if (task.agent !== undefined) {
    const agent = settings.runtime.agents.get(task.agent);
    if (!agent) throw new ConfigError(`task "${task.id}" is pinned to agent "${task.agent}", which the runtime does not have`);
    return [{ agent, score: 1, capabilityCoverage: 1, textRelevance: 0, reason: 'pinned by the plan' }];
  }
  const { matcher } = settings.runtime;
  const ranked = matcher.rank(task, { limit: MAX_CANDIDATES });
  return ranked.length > 0 ? ranked : matcher.rank(task, { includeUnmatched: true, limit: MAX_CANDIDATES });
}

/**
 * The best-matched agents a strategy may choose among. Every strategy works on a handful (consensus
 * asks k, an auction takes a bid from each), and ranking only the top few keeps assignment well under
 * a millisecond with thousands of agents.
 */
const MAX_CANDIDATES = 16;
