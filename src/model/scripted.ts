import { AbortedError, TaskforceError } from '../errors/taskforce-error.js';
import type { Clock } from '../util/clock.js';
import { countTokens, estimateInputTokens } from './tokens.js';
import type {
  ProviderModel,
  ProviderRequest,
  ProviderResult,
  ProviderStreamPart,
  StopReason,
  Usage,
} from './types.js';

/** One scripted reply: plain text, or a full reply with tool calls, stop reason, usage or an error. */
export type ScriptedReply =
  | string
  | {
      readonly text?: string;
      readonly toolCalls?: readonly { readonly name: string; readonly input: unknown; readonly id?: string }[];
      readonly stopReason?: StopReason;
      readonly refusal?: string;
      /** Overrides the estimated count. */
      readonly usage?: Usage;
      /** Thrown instead of replying (e.g. a `ModelApiError` to exercise retries). */
      readonly error?: Error;
      /** Overrides the model's latency for this reply. */
      readonly latencyMs?: number;
    };

/** Computes the reply to a request; `callIndex` counts calls from 0. */
export type ScriptFn = (request: ProviderRequest, callIndex: number) => ScriptedReply | Promise<ScriptedReply>;

/** Settings of `scriptedModel`. */
export interface ScriptedModelOptions {
  /** Replies in call order, or a function of the request. A list that runs out is an error. */
  readonly replies: readonly ScriptedReply[] | ScriptFn;
  readonly modelId?: string;
  /** Simulated latency per call, in the clock's ms. 0 (default) resolves without sleeping. */
  readonly latencyMs?: number;
  /** Needed when `latencyMs` > 0; the runtime passes its own. */
  readonly clock?: Clock;
  /** Characters per streamed text delta; default 16. */
  readonly chunkSize?: number;
  /**
   * Keep every request in `requests` (default true, for assertions). A long run that stands in for a
   * real provider (a benchmark, an offline eval of thousands of calls) can turn it off: a provider
   * keeps nothing, and a log of every prompt grows without bound.
   */
  readonly keepRequests?: boolean;
}

/** A scripted model was called more times than it had replies, or left replies unused. */
export class ScriptError extends TaskforceError {
  constructor(message: string) {
    super('SCRIPT_ERROR', message);
  }
}

/** A scripted `ProviderModel` that also exposes what it was asked, for assertions. */
export interface ScriptedModel extends ProviderModel {
  /** Number of calls made so far. */
  readonly calls: number;
  /** Every request received, in order (for assertions); empty with `keepRequests: false`. */
  readonly requests: readonly ProviderRequest[];
  /** Throws if a reply list was given and some replies were never used. */
  assertAllUsed(): void;
}

/**
 * A deterministic model for tests, benchmarks and offline runs. Token usage is the runtime's own
 * estimate (`estimateInputTokens`, `countTokens`), so budgets, reservations and costs behave as they
 * would with a real model whose counts match the estimate.
 */
export function scriptedModel(options: ScriptedModelOptions): ScriptedModel {
  const requests: ProviderRequest[] = [];
  const modelId = options.modelId ?? 'scripted';
  const chunkSize = options.chunkSize ?? 16;
  const keepRequests = options.keepRequests ?? true;
  let calls = 0;

  /** The scripted reply for call `index`: a script function's may be a promise, a list's never is. */
  const scriptedFor = (request: ProviderRequest, index: number): ScriptedReply | Promise<ScriptedReply> => {
    if (typeof options.replies === 'function') return options.replies(request, index);
    const next = options.replies[index];
    if (next === undefined) {
      const last = request.messages.at(-1);
      throw new ScriptError(
        `scripted model "${modelId}" has ${options.replies.length} replies but got call #${index + 1} ` +
          `(last message: ${JSON.stringify(last?.content.slice(0, 120) ?? '')})`,
      );
    }
    return next;
  };
  // Reactions rather than an async function: a benchmark holds thousands of these calls at once, and
  // the fake's own frames would be counted against the layers it stands under.
  const reply = (request: ProviderRequest): Promise<ProviderResult> => {
    const index = calls++;
    if (keepRequests) requests.push(request);
    try {
      const scripted = scriptedFor(request, index);
      if (isThenable(scripted)) return Promise.resolve(scripted).then((resolved) => answer(request, index, resolved));
      return Promise.resolve(answer(request, index, scripted));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  /** The reply to call `index`, after its latency (if any). */
  const answer = (request: ProviderRequest, index: number, scripted: ScriptedReply): ProviderResult | Promise<ProviderResult> => {
    const full = typeof scripted === 'string' ? { text: scripted } : scripted;
    const latency = full.latencyMs ?? options.latencyMs ?? 0;
    if (latency <= 0) return resultOf(request, index, full);
    if (!options.clock) throw new ScriptError('scripted model: latencyMs needs a clock');
    return options.clock.sleep(latency, request.signal).then(() => resultOf(request, index, full));
  };
  const resultOf = (request: ProviderRequest, index: number, full: Exclude<ScriptedReply, string>): ProviderResult => {
    if (request.signal?.aborted) throw new AbortedError(`scripted model "${modelId}" call was aborted`, { cause: request.signal.reason });
    if (full.error) throw full.error;
    const text = full.text ?? '';
    const toolCalls = (full.toolCalls ?? []).map((call, i) => ({
      id: call.id ?? `call_${index + 1}_${i + 1}`,
      name: call.name,
      input: call.input,
    }));
    const counted = full.usage ?? {
      inputTokens: estimateInputTokens(request),
      outputTokens: countTokens(text) + toolCalls.reduce((n, c) => n + countTokens(JSON.stringify(c.input ?? null)), 0),
    };
    // Like a real provider, never more output than the request's cap: the reply is cut there.
    const cut = request.maxTokens !== undefined && counted.outputTokens > request.maxTokens;
    const usage = cut ? { ...counted, outputTokens: request.maxTokens! } : counted;
    const stopReason: StopReason = cut ? 'max_tokens' : (full.stopReason ?? (full.refusal ? 'refusal' : toolCalls.length > 0 ? 'tool_use' : 'end_turn'));
    return {
      text,
      toolCalls,
      usage,
      stopReason,
      modelId,
      ...(full.refusal !== undefined ? { refusal: full.refusal } : {}),
    };
  };

  return {
    provider: 'scripted',
    modelId,
    structuredMode: 'prompt',
    get calls() {
      return calls;
    },
    requests,
    doGenerate: reply,
    async *doStream(request): AsyncIterable<ProviderStreamPart> {
      const result = await reply(request);
      for (let i = 0; i < result.text.length; i += chunkSize)
        yield { type: 'text-delta', text: result.text.slice(i, i + chunkSize) };
      yield { type: 'finish', result };
    },
    assertAllUsed() {
      if (typeof options.replies !== 'function' && calls < options.replies.length)
        throw new ScriptError(
          `scripted model "${modelId}" used ${calls} of ${options.replies.length} replies`,
        );
    },
  };
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
