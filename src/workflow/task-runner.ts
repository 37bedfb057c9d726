import { z } from 'zod';
import { isApprovalPending, isStop } from '../errors/classify.js';
import { errorInfo, errorMessage } from '../errors/error-info.js';
import { AbortedError } from '../errors/taskforce-error.js';
import { extractJson } from '../model/structured.js';
import type { TaskSpec } from '../plan/types.js';
import type { TaskExecutor, TaskOutcome } from '../scheduler/types.js';
import type { Clock } from '../util/clock.js';
import { linkSignals } from '../util/signals.js';
import { WorkflowOutputError } from './errors.js';
import type { TaskStep } from './types.js';

/** What running one task instance needs. */
export interface TaskRunContext {
  readonly execute: TaskExecutor<string>;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** Emits `task.*` events (the same as the scheduler's). */
  readonly events: {
    started(task: TaskSpec, attempt: number): void;
    completed(taskId: string, durationMs: number, output: string): void;
    failed(taskId: string, error: unknown, willRetry: boolean): void;
    cancelled(taskId: string, reason: string): void;
    waiting(taskId: string, reason: string): void;
  };
}

/** A task instance's end: its outcome, and its output (parsed JSON when the step declares `output`). */
export interface TaskRun {
  readonly outcome: TaskOutcome<string>;
  readonly value?: unknown;
}

/**
 * Runs one instance of a task step through the executor (the run's strategy, agents, budgets and
 * journal): attempts up to `retry.maxAttempts` (stops and approvals are not retried), each bounded by
 * `timeoutMs`; a step with `output` must answer with JSON matching that schema, or the attempt fails.
 */
export async function runTaskInstance(step: TaskStep, spec: TaskSpec, inputs: Readonly<Record<string, string>>, context: TaskRunContext): Promise<TaskRun> {
  const { clock, events } = context;
  const maxAttempts = step.retry?.maxAttempts ?? 1;
  const validate = step.output ? outputValidator(step) : undefined;
  const agents: string[] = [];
  const startedAt = clock.now();
  // What the agents are asked: after an answer that did not match the schema, the task again with the
  // problems (a new request, so the agent answers anew rather than the run reusing its last answer).
  let asked = spec;
  for (let attempt = 1; ; attempt++) {
    if (context.signal.aborted) return ended(spec, 'cancelled', attempt - 1, agents, startedAt, clock, { reason: abortReason(context.signal) }, events);
    events.started(spec, attempt);
    const timer = step.timeoutMs !== undefined ? timeoutSignal(clock, step.timeoutMs, spec.id) : undefined;
    const link = linkSignals([context.signal, timer?.signal]);
    try {
      const output = await context.execute(asked, { inputs, signal: link.signal, attempt, reportAgent: (agent) => void (agents.includes(agent) || agents.push(agent)) });
      const value = validate ? validate(output) : output;
      events.completed(spec.id, clock.now() - startedAt, output);
      return { outcome: outcomeOf(spec, 'completed', attempt, agents, startedAt, clock, { output }), value };
    } catch (error) {
      const failure = timer?.signal.aborted && !context.signal.aborted ? timer.signal.reason : error;
      if (isApprovalPending(failure)) {
        events.waiting(spec.id, errorMessage(failure));
        return { outcome: outcomeOf(spec, 'waiting', attempt, agents, startedAt, clock, { reason: errorMessage(failure) }) };
      }
      if (context.signal.aborted || isStop(failure)) {
        if (context.signal.aborted) return ended(spec, 'cancelled', attempt, agents, startedAt, clock, { reason: abortReason(context.signal) }, events);
        throw failure;
      }
      const willRetry = attempt < maxAttempts && !isFinal(failure);
      events.failed(spec.id, failure, willRetry);
      if (!willRetry) return { outcome: outcomeOf(spec, 'failed', attempt, agents, startedAt, clock, { error: failure }) };
      if (failure instanceof WorkflowOutputError)
        asked = { ...spec, instructions: `${spec.instructions}\n\nYour previous answer (attempt ${attempt}) was rejected: ${failure.message}. Answer again, with JSON only that matches the schema.` };
      await clock.sleep((step.retry?.baseDelayMs ?? 0) * 2 ** (attempt - 1), context.signal).catch(() => undefined);
    } finally {
      timer?.dispose();
      link.release();
    }
  }
}

/** Failures a retry cannot change: a rejection, a failure an earlier process recorded. */
function isFinal(error: unknown): boolean {
  const code = errorInfo(error, '').code;
  return code === 'APPROVAL_REJECTED' || code === 'TASK_FAILED_EARLIER';
}

function ended(
  spec: TaskSpec,
  status: 'cancelled',
  attempts: number,
  agents: readonly string[],
  startedAt: number,
  clock: Clock,
  detail: { readonly reason: string },
  events: TaskRunContext['events'],
): TaskRun {
  events.cancelled(spec.id, detail.reason);
  return { outcome: outcomeOf(spec, status, attempts, agents, startedAt, clock, detail) };
}

function outcomeOf(
  spec: TaskSpec,
  status: TaskOutcome<string>['status'],
  attempts: number,
  agents: readonly string[],
  startedAt: number,
  clock: Clock,
  detail: { readonly output?: string; readonly error?: unknown; readonly reason?: string },
): TaskOutcome<string> {
  return {
    taskId: spec.id,
    status,
    attempts,
    agents: [...agents],
    ...(detail.output !== undefined ? { output: detail.output } : {}),
    ...(detail.error !== undefined ? { error: errorInfo(detail.error, 'TASK_ERROR') } : {}),
    ...(detail.reason !== undefined ? { reason: detail.reason } : {}),
    startedAt,
    endedAt: clock.now(),
  };
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' ? reason : reason instanceof Error ? reason.message : 'cancelled';
}

/** A signal that fires after `ms` on the run's clock with a timeout error naming the task. */
function timeoutSignal(clock: Clock, ms: number, taskId: string): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = new AbortController();
  clock.sleep(ms, stop.signal).then(
    () => controller.abort(new AbortedError(`task "${taskId}" timed out after ${ms} ms`)),
    () => undefined,
  );
  return { signal: controller.signal, dispose: () => stop.abort() };
}

/** Parses and checks an output against the step's JSON Schema (zod's reading of it). */
function outputValidator(step: TaskStep): (text: string) => unknown {
  const schema = z.fromJSONSchema(step.output as Parameters<typeof z.fromJSONSchema>[0]);
  return (text) => {
    let parsed: unknown;
    try {
      parsed = extractJson(text);
    } catch {
      throw new WorkflowOutputError(step.id, ['the answer is not JSON']);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) throw new WorkflowOutputError(step.id, result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
    return result.data;
  };
}
