import type { BudgetKind } from '../errors/budget-errors.js';
import type { Usage } from '../util/usage.js';

/**
 * Every event a run can emit. Each has `type` and `at` (the runtime clock's milliseconds) and, when it
 * belongs to a run, `runId`. Parts add their events to this union (one union, so listeners switch on
 * `type` exhaustively).
 */
export type TaskforceEvent =
  // run lifecycle
  | (Base<'run.started'> & { goal: string; depth: number; parentTaskId?: string })
  /** `stoppedBy`: the run ended early (a task failed, a budget or cap was reached, it was cancelled), as on its run node. */
  | (Base<'run.completed'> & { durationMs: number; usage: Usage; costUsd: number; stoppedBy?: { kind: 'budget' | 'cancelled' | 'cap' | 'failure' | 'waiting'; detail: string } })
  | (Base<'run.failed'> & { error: string; code?: string })
  | (Base<'plan.created'> & { taskCount: number; droppedEdges: readonly [string, string][]; attempts: number })
  | (Base<'plan.invalid'> & { attempt: number; errors: readonly string[] })
  /** A task failed for good and the planner replaced it and its dependents (`OrchestrateRunOptions.replan`). */
  | (Base<'plan.replanned'> & { failedTaskId: string; replacedTaskIds: readonly string[]; newTaskIds: readonly string[]; round: number })
  // tasks
  | (Base<'task.started'> & { taskId: string; title: string; attempt: number })
  /** `output`: the task's result when it is text (the scheduler's tasks in `orchestrate`), for streams and viewers. */
  | (Base<'task.completed'> & { taskId: string; durationMs: number; output?: string })
  | (Base<'task.failed'> & { taskId: string; error: string; willRetry: boolean })
  | (Base<'task.retried'> & { taskId: string; attempt: number; delayMs: number })
  | (Base<'task.skipped'> & { taskId: string; reason: string })
  | (Base<'task.cancelled'> & { taskId: string; reason: string })
  /** The task's work needs a person's approval; it is parked until someone decides. */
  | (Base<'task.waiting'> & { taskId: string; reason: string })
  | (Base<'approval.requested'> & { taskId: string; path: string; subject: 'task' | 'agent' | 'tool'; name?: string; key: string })
  | (Base<'approval.decided'> & { taskId: string; path: string; key: string; decision: 'approved' | 'rejected'; by: string; reason?: string })
  | (Base<'compensation.started'> & { taskId: string; path: string })
  | (Base<'compensation.completed'> & { taskId: string; path: string; status: 'completed' | 'failed'; error?: string })
  | (Base<'journal.resumed'> & { completedTasks: number; journaledCalls: number })
  /** A workflow's control flow as it happens: a branch taken, a loop's iteration, a region cancelled. */
  | (Base<'workflow.step'> & { step: string; kind: string; phase: 'started' | 'completed' | 'skipped' | 'cancelled'; detail?: string })
  // agents
  | (Base<'agent.assigned'> & { taskId?: string; agent: string; strategy?: string; reason?: string })
  | (Base<'agent.completed'> & { taskId?: string; agent: string; steps: number; usage: Usage; costUsd: number })
  | (Base<'agent.step'> & { taskId?: string; agent: string; step: number; toolCalls: readonly string[] })
  | (Base<'tool.called'> & { taskId?: string; agent: string; tool: string; callId: string })
  | (Base<'tool.completed'> & { taskId?: string; agent: string; tool: string; callId: string; isError: boolean; durationMs: number })
  /** A call that did not run: a side-effecting tool the agent was not granted, or one `approveToolCall` did not approve (`error`: the hook threw). */
  | (Base<'tool.refused'> & { taskId?: string; agent: string; tool: string; callId: string; reason: 'not-granted' | 'not-approved'; error?: string })
  | (Base<'hook.ran'> & { agent: string; hook: 'pre' | 'post'; exitCode: number | null; stdout: string; stderr: string; timedOut: boolean })
  | (Base<'hook.skipped'> & { agent: string; hook: 'pre' | 'post'; reason: string })
  // strategies
  | (Base<'strategy.decision'> & { taskId: string; strategy: string; decision: unknown })
  // model layer
  | (Base<'model.call.started'> & { callId: string; provider: string; model: string; taskId?: string; agent?: string })
  | (Base<'model.call.finished'> & { callId: string; provider: string; model: string; usage: Usage; costUsd: number; durationMs: number; stopReason?: string; taskId?: string; agent?: string })
  | (Base<'model.call.failed'> & { callId: string; provider: string; model: string; error: string; code?: string; status?: number; taskId?: string; agent?: string })
  | (Base<'model.retry'> & { callId: string; provider: string; model: string; attempt: number; delayMs: number; reason: string })
  | (Base<'model.ratelimit.wait'> & { provider: string; model: string; delayMs: number; reason: 'requests' | 'tokens' })
  | (Base<'model.concurrency.wait'> & { callId: string; provider: string; model: string; maxConcurrency: number; queued: number })
  | (Base<'model.breaker'> & { endpoint: string; from: BreakerState; to: BreakerState })
  | (Base<'model.repair'> & { callId: string; attempt: number; issues: readonly string[]; taskId?: string; agent?: string })
  // budgets and resources
  | (Base<'budget.warning'> & { budget: BudgetKind; used: number; limit: number; fraction: number })
  | (Base<'budget.exceeded'> & { budget: BudgetKind; used: number; limit: number })
  | (Base<'resource.allocated'> & { resource: string; taskId?: string; inUse: number; capacity: number })
  | (Base<'resource.released'> & { resource: string; taskId?: string; inUse: number; capacity: number })
  // recursion, convergence, synthesis
  | (Base<'recursion.spawned'> & { taskId: string; childRunId: string; depth: number })
  | (Base<'recursion.capped'> & { taskId: string; cap: 'maxDepth' | 'maxAgents' | 'repeat'; detail: string })
  | (Base<'convergence.round'> & { taskId?: string; round: number; similarity: number | null })
  | (Base<'convergence.stopped'> & { taskId?: string; rounds: number; reason: string })
  | (Base<'synthesis.attempt'> & { attempt: number; passed: boolean; problems: readonly string[] })
  // the final answer's text as it is written: pieces of one draft join; a later draft replaces it
  | (Base<'answer.delta'> & { taskId?: string; draft: number; text: string })
  // anything a user or plugin wants to report
  | (Base<'log'> & { level: 'debug' | 'info' | 'warn' | 'error'; message: string });

export type BreakerState = 'closed' | 'open' | 'half-open';

interface Base<T extends string> {
  type: T;
  /** Runtime clock time in ms. */
  at: number;
  runId?: string;
}

export type TaskforceEventType = TaskforceEvent['type'];
export type EventOf<T extends TaskforceEventType> = Extract<TaskforceEvent, { type: T }>;

/** An event before the bus stamps `at` (and `runId`, if the emitter belongs to a run). */
export type EventInput = TaskforceEvent extends infer E ? (E extends TaskforceEvent ? Omit<E, 'at'> & { at?: number } : never) : never;

export type { BudgetKind };
