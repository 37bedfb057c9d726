import { runAgent } from '../agents/loop.js';
import type { AgentDefinition, AgentMatch, AgentRunResult } from '../agents/types.js';
import { AbortedError, ConfigError } from '../errors/taskforce-error.js';
import { BudgetExceededError } from '../errors/budget-errors.js';
import { describeSubject, type ApprovalSubject } from '../errors/approval-errors.js';
import { awaitApproval, type ApprovalPolicy } from '../durable/approvals.js';
import type { ToolCallJournal } from '../tools/execute-tool.js';
import type { Model } from '../model/types.js';
import type { TaskSpec } from '../plan/types.js';
import type { Runtime } from '../runtime/runtime-types.js';
import type { TaskExecutionContext } from '../scheduler/types.js';
import type { CoordinationContext } from '../../strategies/strategy.js';
import type { AgentAdmission, GuardSite } from './guard.js';
import { restoreCalls } from './journaled-task.js';
import type { RemoteStop, RunLevel, RunSettings, TaskRecord } from './orchestration.js';

/**
 * What a strategy works with on one task: its candidates and inputs, models on agents' behalf, and
 * `runAgent`, which admits each agent run through the recursion guard and runs it here, behind an
 * approval, or on the run's `agentRunner`. A class, as there is one per task attempt: its helpers are
 * shared; `runAgent` and `modelFor` are the task's own (a strategy may pass them around apart from the
 * context); `judgeModel` is a getter on the prototype; what the class keeps for itself is private.
 */
export class TaskCoordination implements CoordinationContext {
  readonly goal: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly candidates: readonly AgentMatch[];
  readonly signal: AbortSignal;
  readonly depth: number;
  readonly depthLeft: number;
  readonly store: CoordinationContext['store'];
  readonly random: CoordinationContext['random'];
  readonly clock: CoordinationContext['clock'];
  readonly events: CoordinationContext['events'];
  readonly modelFor: (agent: AgentDefinition) => Model;
  readonly runAgent: CoordinationContext['runAgent'];
  readonly task: TaskSpec;
  // Private fields (`#`), so a strategy that logs or serialises its context sees only the context.
  readonly #settings: RunSettings;
  readonly #level: RunLevel;
  readonly #context: TaskExecutionContext<string>;
  readonly #record: TaskRecord;
  readonly #scope: Runtime;
  readonly #toolJournal: ToolCallJournal | undefined;

  constructor(
    settings: RunSettings,
    level: RunLevel,
    task: TaskSpec,
    context: TaskExecutionContext<string>,
    record: TaskRecord,
    site: GuardSite,
    scope: Runtime,
    toolJournal: ToolCallJournal | undefined,
  ) {
    this.#settings = settings;
    this.#level = level;
    this.task = task;
    this.#context = context;
    this.#record = record;
    this.#scope = scope;
    this.#toolJournal = toolJournal;
    this.goal = level.goal;
    this.inputs = context.inputs;
    this.candidates = candidatesFor(settings, task);
    this.signal = context.signal;
    this.depth = level.depth;
    this.depthLeft = settings.maxDepth - level.depth;
    this.store = scope.store;
    this.random = scope.random;
    this.clock = scope.clock;
    this.events = scope.events;
    this.modelFor = (agent) => scope.models.forAgent(agent);
    this.runAgent = (agent, prompt, options) => this.#admitted(site, agent, prompt, options);
  }

  /** Chained on first use: most strategies never ask for it. */
  get judgeModel(): Model {
    return this.#scope.models.synthesizer;
  }

  #admitted(site: GuardSite, agent: AgentDefinition, prompt: string, options: { readonly system?: string } | undefined): Promise<AgentRunResult> {
    const settings = this.#settings;
    const level = this.#level;
    const task = this.task;
    let admission: AgentAdmission;
    try {
      admission = settings.guard.admitAgent(site, agent.name, prompt);
    } catch (error) {
      // A cap: a rejection, as from an async function (a strategy may start several runs at once).
      return Promise.reject(error);
    }
    if (admission.kind === 'reuse') return Promise.resolve(admission.result);
    level.events.emit({ type: 'agent.assigned', taskId: task.id, agent: agent.name, strategy: settings.strategy.name });
    const { ticket } = admission;
    const run = agent.approval || settings.agentRunner ? this.#gatedRun(agent, prompt, options) : this.#runHere(agent, prompt, options);
    return run.then(
      (result) => {
        ticket.done(result);
        return result;
      },
      (error: unknown) => {
        ticket.release();
        throw error;
      },
    );
  }

  #runHere(agent: AgentDefinition, prompt: string, options: { readonly system?: string } | undefined): Promise<AgentRunResult> {
    const task = this.task;
    const context = this.#context;
    const toolJournal = this.#toolJournal;
    return runAgent(
      this.#scope,
      agent,
      prompt,
      toolJournal === undefined && options?.system === undefined
        ? { taskId: task.id, signal: context.signal }
        : { taskId: task.id, signal: context.signal, ...(toolJournal ? { toolJournal } : {}), ...(options?.system !== undefined ? { system: options.system } : {}) },
    );
  }

  async #gatedRun(agent: AgentDefinition, prompt: string, options: { readonly system?: string } | undefined): Promise<AgentRunResult> {
    const settings = this.#settings;
    const level = this.#level;
    const task = this.task;
    const context = this.#context;
    if (agent.approval)
      await approvalGate(settings, level, context.signal)(
        { kind: 'agent', path: level.path, taskId: task.id, name: agent.name, key: `agent:${task.id}:${agent.name}` },
        agent.approval,
      );
    const system = options?.system !== undefined ? { system: options.system } : {};
    return settings.agentRunner
      ? runElsewhere(settings, level, this.#record, { taskId: task.id, agent: agent.name, prompt, ...system }, context.signal)
      : this.#runHere(agent, prompt, options);
  }
}

/** Lets approved work through, in a durable run; anywhere else an approval cannot be waited for, so it is a `ConfigError`. */
export function approvalGate(settings: RunSettings, level: RunLevel, signal: AbortSignal) {
  return async (subject: ApprovalSubject, policy: ApprovalPolicy): Promise<void> => {
    if (policy === false) return;
    if (!settings.journal)
      throw new ConfigError(`${describeSubject(subject)} requires approval, which needs a durable run: pass \`durable: true\` (or a \`runId\`) to orchestrate`);
    await awaitApproval(settings.journal, subject, policy, { clock: settings.runtime.clock, signal, events: level.events });
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
  const ranked = matcher.rank(task, TOP_MATCHES);
  return ranked.length > 0 ? ranked : matcher.rank(task, TOP_ANY);
}

/**
 * The best-matched agents a strategy may choose among. Every strategy works on a handful (consensus
 * asks k, an auction takes a bid from each), and ranking only the top few keeps assignment well under
 * a millisecond with thousands of agents.
 */
const MAX_CANDIDATES = 16;
const TOP_MATCHES = Object.freeze({ limit: MAX_CANDIDATES });
const TOP_ANY = Object.freeze({ includeUnmatched: true, limit: MAX_CANDIDATES });
