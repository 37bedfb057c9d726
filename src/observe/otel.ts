import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { EventListener } from '../events/bus.js';
import type { EventOf, TaskforceEvent } from '../events/types.js';
import { attributes, budgetAttribute, decisionJson, GenAi, Tf, usageAttributes, type GenAiOperation } from './otel-attributes.js';

/** Settings of {@link openTelemetryListener}. */
export interface OpenTelemetryListenerOptions {
  /**
   * Where the spans go. Default: `trace.getTracer('taskforce')` from `@opentelemetry/api`, which does
   * nothing until the application registers an OpenTelemetry SDK.
   */
  readonly tracer?: Tracer;
  /**
   * Also record the text of the work: the run's goal (`taskforce.goal`), each task's title
   * (`taskforce.task.title`) and its output when it is text (`taskforce.task.output`). Off by default,
   * since they may hold private data. The prompts and completions of single model calls are not
   * carried by Taskforce's events, so they are never recorded.
   */
  readonly recordContent?: boolean;
}

/** An open span and the run and task it belongs to, so it can be closed when they end. */
interface Open {
  readonly span: Span;
  readonly run: string;
  readonly task: string;
}

type Tagged = { readonly runId?: string; readonly taskId?: string; readonly agent?: string };

const key = (...parts: readonly (string | undefined)[]): string => parts.map((p) => p ?? '').join('\u0000');

/**
 * An event listener that turns a run's events into OpenTelemetry spans, nested as the work was: a
 * `taskforce.run` span per run (a sub-run's under the task that spawned it), a `taskforce.task <id>`
 * span per task attempt under its run (parallel tasks are siblings), an `invoke_agent <agent>` span per
 * agent invocation under its task, a `chat <model>` span per model call under its agent (or task, or
 * run) and an `execute_tool <tool>` span per tool call under its agent. Attributes follow the
 * OpenTelemetry GenAI semantic conventions (`gen_ai.*`), plus Taskforce's own under `taskforce.`.
 * Span times are the events' `at`, the runtime clock.
 *
 * It only watches: it never changes the run, and without a registered OpenTelemetry SDK it is a no-op.
 * Give each runtime (or run) its own listener; all its state lives inside it.
 *
 * @example
 * ```ts
 * import { orchestrate, openTelemetryListener } from 'taskforce-agents';
 *
 * const result = await orchestrate('Compare three e-bike motors', {
 *   model: 'anthropic:claude-haiku-4-5',
 *   onEvent: openTelemetryListener(),
 * });
 * ```
 */
export function openTelemetryListener(options: OpenTelemetryListenerOptions = {}): EventListener {
  const tracer = options.tracer ?? trace.getTracer('taskforce');
  const recordContent = options.recordContent === true;
  const runs = new Map<string, { readonly span: Span; readonly depth: number }>();
  /** childRunId → the span of the task that spawned it. */
  const spawnedBy = new Map<string, Span>();
  const tasks = new Map<string, Open>();
  /** Open invocations per (run, task, agent), oldest first: the same agent can run twice in a task. */
  const agents = new Map<string, Open[]>();
  const calls = new Map<string, Open>();
  const tools = new Map<string, Open>();

  const start = (name: string, kind: SpanKind, at: number, attrs: Attributes, parent: Span | undefined): Span =>
    // Without a parent of ours, the span joins whatever span the application has active (if any).
    tracer.startSpan(name, { kind, startTime: at, attributes: attrs }, parent ? trace.setSpan(context.active(), parent) : context.active());

  const runSpan = (runId: string | undefined) => (runId === undefined ? undefined : runs.get(runId)?.span);
  const taskSpan = (e: Tagged) => (e.taskId === undefined ? undefined : tasks.get(key(e.runId, e.taskId))?.span);
  const agentSpan = (e: Tagged) => (e.agent === undefined ? undefined : agents.get(key(e.runId, e.taskId, e.agent))?.[0]?.span);
  const innermost = (e: Tagged) => agentSpan(e) ?? taskSpan(e) ?? runSpan(e.runId);
  const ids = (e: Tagged): Attributes => attributes({ [Tf.runId]: e.runId, [Tf.taskId]: e.taskId });
  const operation = (op: GenAiOperation): Attributes => ({ [GenAi.operationName]: op });
  const fail = (span: Span, message: string) => span.setStatus({ code: SpanStatusCode.ERROR, message });
  /** The span of one tool call (called, or refused), under its agent. */
  const toolSpan = (e: Tagged & { readonly tool: string; readonly callId: string; readonly agent: string; readonly at: number }, extra: Attributes = {}): Span =>
    start(
      `execute_tool ${e.tool}`,
      SpanKind.INTERNAL,
      e.at,
      attributes({ ...operation('execute_tool'), [GenAi.toolName]: e.tool, [GenAi.toolCallId]: e.callId, [GenAi.agentName]: e.agent, ...ids(e), ...extra }),
      innermost(e),
    );
  const openOf = (e: Tagged, span: Span): Open => ({ span, run: e.runId ?? '', task: e.taskId === undefined ? '' : key(e.runId, e.taskId) });

  /** Ends what is still open below a task or run that ended (an agent whose loop threw, an aborted call). */
  const closeLeftovers = (matches: (open: Open) => boolean, at: number, error?: string) => {
    const close = (open: Open) => {
      open.span.setAttribute(Tf.unfinished, true);
      if (error !== undefined) fail(open.span, error);
      open.span.end(at);
    };
    for (const map of [tools, calls]) {
      for (const [k, open] of map) {
        if (!matches(open)) continue;
        close(open);
        map.delete(k);
      }
    }
    for (const [k, list] of agents) {
      const [ended, kept] = [list.filter(matches), list.filter((o) => !matches(o))];
      ended.forEach(close);
      if (kept.length > 0) agents.set(k, kept);
      else agents.delete(k);
    }
  };

  const endTask = (e: Tagged & { readonly at: number }, error?: string) => {
    const k = key(e.runId, e.taskId);
    const open = tasks.get(k);
    closeLeftovers((o) => o.task === k, e.at, error);
    if (!open) return;
    tasks.delete(k);
    if (error !== undefined) fail(open.span, error);
    open.span.end(e.at);
  };

  const endRun = (e: { readonly runId?: string; readonly at: number }, error?: string) => {
    if (e.runId === undefined) return;
    const run = runs.get(e.runId);
    closeLeftovers((o) => o.run === e.runId, e.at, error);
    for (const [k, open] of tasks) {
      if (open.run !== e.runId) continue;
      open.span.setAttribute(Tf.unfinished, true);
      open.span.end(e.at);
      tasks.delete(k);
    }
    spawnedBy.delete(e.runId);
    if (!run) return;
    runs.delete(e.runId);
    if (error !== undefined) fail(run.span, error);
    run.span.end(e.at);
  };

  const onBudget = (e: EventOf<'budget.warning'> | EventOf<'budget.exceeded'>) => {
    // Budgets are the runtime's or the run's: without a runId, they concern every top-level run.
    const own = runSpan(e.runId);
    const targets = own ? [own] : [...runs.values()].filter((r) => r.depth === 0).map((r) => r.span);
    for (const span of targets) {
      span.setAttributes({
        [budgetAttribute(e.budget, 'limit')]: e.limit,
        [budgetAttribute(e.budget, 'used')]: e.used,
        [budgetAttribute(e.budget, 'remaining')]: Math.max(0, e.limit - e.used),
      });
      span.addEvent(e.type, { budget: e.budget, used: e.used, limit: e.limit }, e.at);
    }
  };

  return (e: TaskforceEvent) => {
    switch (e.type) {
      case 'run.started': {
        if (e.runId === undefined) return;
        const parent = spawnedBy.get(e.runId);
        const span = start('taskforce.run', SpanKind.INTERNAL, e.at, attributes({
          [Tf.runId]: e.runId,
          [Tf.depth]: e.depth,
          [Tf.parentTaskId]: e.parentTaskId,
          [Tf.goal]: recordContent ? e.goal : undefined,
        }), parent);
        runs.set(e.runId, { span, depth: e.depth });
        return;
      }
      case 'run.completed': {
        const span = runSpan(e.runId);
        span?.setAttributes(attributes({
          ...usageAttributes(e.usage),
          [Tf.costUsd]: e.costUsd,
          [Tf.stoppedBy]: e.stoppedBy?.kind,
          [Tf.stoppedDetail]: e.stoppedBy?.detail,
        }));
        endRun(e, e.stoppedBy?.kind === 'failure' ? e.stoppedBy.detail : undefined);
        return;
      }
      case 'run.failed':
        runSpan(e.runId)?.setAttributes(attributes({ [GenAi.errorType]: e.code ?? '_OTHER', [Tf.errorCode]: e.code }));
        endRun(e, e.error);
        return;
      case 'plan.created':
        runSpan(e.runId)?.addEvent('plan.created', { taskCount: e.taskCount, attempts: e.attempts }, e.at);
        return;
      case 'plan.invalid':
        runSpan(e.runId)?.addEvent('plan.invalid', { attempt: e.attempt, errors: [...e.errors] }, e.at);
        return;
      case 'synthesis.attempt':
        runSpan(e.runId)?.addEvent('synthesis.attempt', { attempt: e.attempt, passed: e.passed, problems: [...e.problems] }, e.at);
        return;

      case 'task.started': {
        const k = key(e.runId, e.taskId);
        if (tasks.has(k)) endTask(e);
        const depth = e.runId === undefined ? undefined : runs.get(e.runId)?.depth;
        const span = start(`taskforce.task ${e.taskId}`, SpanKind.INTERNAL, e.at, attributes({
          ...ids(e),
          [Tf.attempt]: e.attempt,
          [Tf.depth]: depth,
          [Tf.title]: recordContent ? e.title : undefined,
        }), runSpan(e.runId));
        tasks.set(k, openOf(e, span));
        return;
      }
      case 'task.completed':
        if (recordContent && e.output !== undefined) taskSpan(e)?.setAttribute(Tf.output, e.output);
        endTask(e);
        return;
      case 'task.failed':
        taskSpan(e)?.setAttribute(Tf.willRetry, e.willRetry);
        endTask(e, e.error);
        return;
      case 'task.cancelled':
        taskSpan(e)?.setAttribute(Tf.cancelled, e.reason);
        endTask(e, `cancelled: ${e.reason}`);
        return;
      case 'task.retried':
      case 'task.skipped':
        runSpan(e.runId)?.addEvent(e.type, attributes({
          [Tf.taskId]: e.taskId,
          ...(e.type === 'task.retried' ? { attempt: e.attempt, delayMs: e.delayMs } : { reason: e.reason }),
        }), e.at);
        return;
      case 'strategy.decision':
        taskSpan(e)?.setAttributes({ [Tf.strategy]: e.strategy, [Tf.decision]: decisionJson(e.decision) });
        return;
      case 'recursion.spawned': {
        const span = taskSpan(e);
        if (span) spawnedBy.set(e.childRunId, span);
        span?.addEvent('recursion.spawned', { childRunId: e.childRunId, depth: e.depth }, e.at);
        return;
      }
      case 'recursion.capped':
        (taskSpan(e) ?? runSpan(e.runId))?.addEvent('recursion.capped', { cap: e.cap, detail: e.detail }, e.at);
        return;
      case 'convergence.round':
      case 'convergence.stopped':
        (taskSpan(e) ?? runSpan(e.runId))?.addEvent(e.type, attributes(
          e.type === 'convergence.round' ? { round: e.round, similarity: e.similarity ?? undefined } : { rounds: e.rounds, reason: e.reason },
        ), e.at);
        return;

      case 'agent.assigned': {
        const span = start(`invoke_agent ${e.agent}`, SpanKind.INTERNAL, e.at, attributes({
          ...operation('invoke_agent'),
          [GenAi.agentName]: e.agent,
          ...ids(e),
          [Tf.strategy]: e.strategy,
        }), taskSpan(e) ?? runSpan(e.runId));
        const k = key(e.runId, e.taskId, e.agent);
        agents.set(k, [...(agents.get(k) ?? []), openOf(e, span)]);
        return;
      }
      case 'agent.step':
        agentSpan(e)?.addEvent('agent.step', { step: e.step, toolCalls: [...e.toolCalls] }, e.at);
        return;
      case 'agent.completed': {
        const k = key(e.runId, e.taskId, e.agent);
        const [open, ...rest] = agents.get(k) ?? [];
        if (!open) return;
        if (rest.length > 0) agents.set(k, rest);
        else agents.delete(k);
        open.span.setAttributes({ ...usageAttributes(e.usage), [Tf.costUsd]: e.costUsd, [Tf.steps]: e.steps });
        open.span.end(e.at);
        return;
      }

      case 'tool.called': {
        tools.set(key(e.runId, e.taskId, e.agent, e.callId), openOf(e, toolSpan(e)));
        return;
      }
      case 'tool.completed': {
        const k = key(e.runId, e.taskId, e.agent, e.callId);
        const open = tools.get(k);
        if (!open) return;
        tools.delete(k);
        open.span.setAttribute(Tf.toolIsError, e.isError);
        if (e.isError) fail(open.span, `tool "${e.tool}" returned an error`);
        open.span.end(e.at);
        return;
      }
      case 'tool.refused': {
        const span = toolSpan(e, { [GenAi.errorType]: e.reason });
        fail(span, e.error !== undefined ? `${e.reason}: ${e.error}` : e.reason);
        span.end(e.at);
        return;
      }

      case 'model.call.started': {
        const span = start(`chat ${e.model}`, SpanKind.CLIENT, e.at, attributes({
          ...operation('chat'),
          [GenAi.providerName]: e.provider,
          [GenAi.system]: e.provider,
          [GenAi.requestModel]: e.model,
          [GenAi.agentName]: e.agent,
          [Tf.callId]: e.callId,
          ...ids(e),
        }), innermost(e));
        calls.set(e.callId, openOf(e, span));
        return;
      }
      case 'model.call.finished':
      case 'model.call.failed': {
        const open = calls.get(e.callId);
        if (!open) return;
        calls.delete(e.callId);
        if (e.type === 'model.call.finished') {
          open.span.setAttributes({
            [GenAi.responseModel]: e.model,
            ...(e.stopReason !== undefined ? { [GenAi.finishReasons]: [e.stopReason] } : {}),
            ...usageAttributes(e.usage),
            [Tf.costUsd]: e.costUsd,
          });
        } else {
          open.span.setAttributes(attributes({ [GenAi.errorType]: e.code ?? '_OTHER', [Tf.errorCode]: e.code, [GenAi.httpStatus]: e.status }));
          fail(open.span, e.error);
        }
        open.span.end(e.at);
        return;
      }
      case 'model.retry':
        calls.get(e.callId)?.span.addEvent('model.retry', { attempt: e.attempt, delayMs: e.delayMs, reason: e.reason }, e.at);
        return;
      case 'model.repair':
        calls.get(e.callId)?.span.addEvent('model.repair', { attempt: e.attempt, issues: [...e.issues] }, e.at);
        return;
      case 'model.concurrency.wait':
        calls.get(e.callId)?.span.addEvent('model.concurrency.wait', { maxConcurrency: e.maxConcurrency, queued: e.queued }, e.at);
        return;

      case 'budget.warning':
      case 'budget.exceeded':
        onBudget(e);
        return;
      default:
        // Resource, hook, breaker, rate-limit and log events describe the runtime, not one piece of work.
        return;
    }
  };
}
