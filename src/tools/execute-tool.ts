import { z } from 'zod';
import { AbortedError, TaskforceError } from '../errors/taskforce-error.js';
import type { EventBus } from '../events/bus.js';
import { formatIssues } from '../model/structured.js';
import type { ToolCall } from '../model/types.js';
import type { Clock } from '../util/clock.js';
import type { Tool } from './types.js';

/** What one tool call produced, as the model will see it. */
export interface ToolCallOutcome {
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
  /** The result text sent back to the model (an explanation when `isError`). */
  readonly output: string;
  readonly isError: boolean;
  readonly durationMs: number;
}

export interface ExecuteToolOptions {
  /** The tools this caller may use, by name; any other name is answered with an error result. */
  readonly tools: ReadonlyMap<string, Tool>;
  /** Timeout for tools that set none. */
  readonly defaultTimeoutMs: number;
  readonly clock: Clock;
  /** The run's signal: when it fires, the tool's signal fires and the call rejects with `AbortedError`. */
  readonly signal: AbortSignal;
  readonly agent: string;
  readonly taskId?: string;
  readonly events?: EventBus;
  /**
   * Tools this caller may not use although it could name them (side-effecting tools it was not
   * granted), with the text the model reads when it calls one anyway. Such a call is refused before its
   * input is checked, and a `tool.refused` event says so.
   */
  readonly withheld?: ReadonlyMap<string, string>;
  /**
   * Asked once a call's input is valid, before the tool runs: the call runs only if it resolves `true`.
   * `false` or a throw refuses it with an error result and a `tool.refused` event. Absent: calls run.
   */
  readonly approve?: (call: ToolApprovalRequest) => boolean | Promise<boolean>;
  /** Given to the tool as `ToolContext.idempotencyKey` (durable runs). */
  readonly idempotencyKey?: string;
}

/**
 * A durable run's record of tool calls. `run` answers a call an earlier process completed from the
 * journal; otherwise it executes it (with its stable idempotency key) and journals the outcome.
 */
export interface ToolCallJournal {
  run(call: ToolCall, agent: string, execute: (idempotencyKey: string) => Promise<ToolCallOutcome>): Promise<ToolCallOutcome>;
}

/** One call waiting for `approve`: the tool and the input it would run with (already validated). */
export interface ToolApprovalRequest {
  readonly tool: Tool;
  readonly input: unknown;
  readonly callId: string;
  readonly signal: AbortSignal;
}

type Settled =
  | { readonly kind: 'done'; readonly value: unknown }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' };

/**
 * Runs one tool call the model asked for. Everything the model got wrong (unknown or disallowed tool,
 * arguments that are not JSON or fail the schema) and everything the tool did wrong (threw, timed out,
 * returned something that is not JSON) becomes an error result for the model to read and correct,
 * never an exception. So does a refusal: a `withheld` tool, or a call `approve` did not say yes to
 * (with a `tool.refused` event). Only the caller's abort rejects.
 */
export async function executeToolCall(call: ToolCall, options: ExecuteToolOptions): Promise<ToolCallOutcome> {
  const { clock, events, agent, taskId } = options;
  const tags = { agent, ...(taskId !== undefined ? { taskId } : {}) };
  const startedAt = clock.now();
  events?.emit({ type: 'tool.called', ...tags, tool: call.name, callId: call.id });
  const finish = (output: string, isError: boolean): ToolCallOutcome => {
    const durationMs = clock.now() - startedAt;
    events?.emit({ type: 'tool.completed', ...tags, tool: call.name, callId: call.id, isError, durationMs });
    return { id: call.id, name: call.name, input: call.input, output, isError, durationMs };
  };

  const refuse = (reason: 'not-granted' | 'not-approved', output: string, error?: string): ToolCallOutcome => {
    events?.emit({ type: 'tool.refused', ...tags, tool: call.name, callId: call.id, reason, ...(error !== undefined ? { error } : {}) });
    return finish(output, true);
  };

  const tool = options.tools.get(call.name);
  if (!tool) {
    const withheld = options.withheld?.get(call.name);
    return withheld !== undefined ? refuse('not-granted', withheld) : finish(unavailableMessage(call.name, agent, options.tools), true);
  }

  const checked = validateInput(tool, call.input);
  if (!checked.ok) return finish(checked.message, true);

  if (options.approve) {
    if (options.signal.aborted) throw abortedError(call.name, options.signal);
    const verdict = await approval(options.approve, { tool, input: checked.value, callId: call.id, signal: options.signal });
    if (options.signal.aborted) throw abortedError(call.name, options.signal);
    if (verdict !== true) {
      const error = verdict === false ? undefined : describeError(verdict.error);
      return refuse(
        'not-approved',
        error === undefined
          ? `Error: the call of tool "${call.name}" was not approved, so it did not run. Do not call it again for this; go on without it.`
          : `Error: tool "${call.name}" did not run: its approval check failed: ${error}`,
        error,
      );
    }
  }

  if (options.signal.aborted) throw abortedError(call.name, options.signal);
  const settled = await runWithTimeout(tool, checked.value, tool.timeoutMs ?? options.defaultTimeoutMs, {
    clock,
    signal: options.signal,
    context: {
      agent,
      callId: call.id,
      ...(taskId !== undefined ? { taskId } : {}),
      ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
    },
  });
  switch (settled.kind) {
    case 'aborted':
      finish(`tool "${call.name}" was aborted`, true);
      throw abortedError(call.name, options.signal);
    case 'timeout':
      return finish(`Error: tool "${call.name}" timed out after ${tool.timeoutMs ?? options.defaultTimeoutMs} ms and was aborted.`, true);
    case 'threw':
      return finish(`Error: tool "${call.name}" failed: ${describeError(settled.error)}`, true);
    case 'done': {
      const text = serialise(settled.value);
      return text === undefined
        ? finish(`Error: tool "${call.name}" returned a value that cannot be serialised to JSON.`, true)
        : finish(text, false);
    }
  }
}

/** `true` only for an explicit yes; anything else refuses (fail closed). A throw is kept to report. */
async function approval(
  approve: NonNullable<ExecuteToolOptions['approve']>,
  request: ToolApprovalRequest,
): Promise<boolean | { readonly error: unknown }> {
  try {
    return (await approve(request)) === true;
  } catch (error) {
    return { error };
  }
}

function unavailableMessage(name: string, agent: string, tools: ReadonlyMap<string, Tool>): string {
  const names = [...tools.keys()];
  return (
    `Error: tool "${name}" is not available to agent "${agent}". ` +
    (names.length > 0 ? `Available tools: ${names.join(', ')}.` : 'This agent has no tools; answer directly.')
  );
}

function validateInput(tool: Tool, input: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  if (typeof input === 'string') {
    // Providers hand us the raw string when the model's arguments were not JSON; tool inputs are objects.
    return {
      ok: false,
      message:
        `Error: the arguments for tool "${tool.name}" are not a JSON object: ${JSON.stringify(input.slice(0, 200))}. ` +
        'Call the tool again with a JSON object matching its input schema.',
    };
  }
  const result = tool.input.safeParse(input ?? {});
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error instanceof z.ZodError ? formatIssues(result.error) : [String(result.error)];
  return {
    ok: false,
    message:
      `Error: invalid arguments for tool "${tool.name}":\n` +
      issues.map((issue) => `- ${issue}`).join('\n') +
      '\nCall the tool again with arguments that match its input schema.',
  };
}

async function runWithTimeout(
  tool: Tool,
  input: unknown,
  timeoutMs: number,
  deps: { clock: Clock; signal: AbortSignal; context: { agent: string; callId: string; taskId?: string } },
): Promise<Settled> {
  const toolAbort = new AbortController();
  const timerAbort = new AbortController();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<Settled>((resolve) => {
    onAbort = () => resolve({ kind: 'aborted' });
    deps.signal.addEventListener('abort', onAbort, { once: true });
  });
  const timedOut = deps.clock.sleep(timeoutMs, timerAbort.signal).then(
    (): Settled => ({ kind: 'timeout' }),
    // The timer is cancelled once the call settles; that rejection means nothing.
    () => new Promise<Settled>(() => undefined),
  );
  const ran = Promise.resolve()
    .then(() => tool.execute(input, { ...deps.context, signal: toolAbort.signal }))
    .then(
      (value): Settled => ({ kind: 'done', value }),
      (error: unknown): Settled => ({ kind: 'threw', error }),
    );
  try {
    const settled = await Promise.race([ran, timedOut, aborted]);
    if (settled.kind === 'timeout') toolAbort.abort(new Error(`tool "${tool.name}" timed out after ${timeoutMs} ms`));
    if (settled.kind === 'aborted') toolAbort.abort(deps.signal.reason);
    return settled;
  } finally {
    timerAbort.abort();
    if (onAbort) deps.signal.removeEventListener('abort', onAbort);
  }
}

function serialise(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function describeError(error: unknown): string {
  if (TaskforceError.isInstance(error)) return `${error.message} (${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}

function abortedError(tool: string, signal: AbortSignal): AbortedError {
  return new AbortedError(`aborted while tool "${tool}" was running`, { cause: signal.reason });
}
