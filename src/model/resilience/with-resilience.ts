import { ModelConnectionError } from '../../errors/model-errors.js';
import { copyWith } from '../../util/copy-with.js';
import { sequentialIds } from '../../util/ids.js';
import { estimateInputTokens } from '../tokens.js';
import type { ProviderModel, ProviderRequest, ProviderResult, ProviderStreamPart, Usage } from '../types.js';
import { AttemptScopes, type AttemptScope } from './attempt-scope.js';
import { retryDelay } from './backoff.js';
import { createCircuitBreaker, type BreakerTicket } from './breaker.js';
import { classifyError, retryAfterOf } from './classify.js';
import { createRateLimiter, type RateReservation } from './rate-limiter.js';
import { resolveResilienceSettings } from './settings.js';
import { createSlots } from './slots.js';
import { TimeoutLine } from './timeout-line.js';
import type { ResilienceDeps, ResilienceOptions } from './types.js';

/**
 * Wraps a provider with the model layer's resilience, in this order per call: circuit breaker
 * (per endpoint) → for each attempt: rate limiter (requests and tokens per minute) → concurrency slot →
 * provider call under a timeout merged with the caller's signal; transient failures are retried with
 * full-jitter exponential backoff, honouring the provider's retry-after as a floor.
 *
 * Streams are retried only if they failed before their first part; a stream cut after output began
 * surfaces as `ModelConnectionError`, so no text is ever delivered twice.
 *
 * @example
 * ```ts
 * const resilient = withResilience(provider, { retry: { maxRetries: 4 }, rateLimit: { requestsPerMinute: 50 } },
 *   { clock: systemClock(), random: systemRandom(), events });
 * const model = modelFromProvider(resilient, { events });
 * ```
 */
/** The reservation of a call no rate limit counts. */
const UNLIMITED: RateReservation = Object.freeze({ settle: () => undefined });

export function withResilience(provider: ProviderModel, options: ResilienceOptions, deps: ResilienceDeps): ProviderModel {
  const settings = resolveResilienceSettings(options, `resilience of ${provider.provider}/${provider.modelId}`);
  const { clock, random, events } = deps;
  const endpoint = provider.endpoint ?? provider.provider;
  const breakerContext = { clock, ...(events ? { events } : {}) };
  const breaker = deps.breakers
    ? deps.breakers.get(endpoint, settings.breaker, breakerContext)
    : createCircuitBreaker(endpoint, settings.breaker, breakerContext);
  const limiter = createRateLimiter(
    { requestsPerMinute: settings.requestsPerMinute, tokensPerMinute: settings.tokensPerMinute },
    { clock, provider: provider.provider, model: provider.modelId, ...(events ? { events } : {}) },
  );
  const slots = createSlots(settings.maxConcurrency);
  const ids = sequentialIds();
  const scopes = new AttemptScopes(provider.provider, clock, Number.isFinite(settings.timeoutMs) ? new TimeoutLine(clock, settings.timeoutMs) : undefined);

  // Estimating tokens walks the request, so only when a token rate limit needs it.
  const estimate = (request: ProviderRequest) =>
    settings.tokensPerMinute === undefined ? 0 : estimateInputTokens(request) + (request.maxTokens ?? settings.outputTokensEstimate);

  // Plain data, ended by `endAttempt`: a call in flight holds one, and no closure per attempt.
  interface Attempt {
    readonly scope: AttemptScope;
    readonly reservation: RateReservation;
    /** Frees the concurrency slot, when one was taken. */
    readonly release?: () => void;
  }
  // With no rate limit and no concurrency cap nothing can make a call wait: an attempt begins at once,
  // without the two awaits (and their promises) that most calls would otherwise pay for nothing.
  const neverWaits = settings.requestsPerMinute === undefined && settings.tokensPerMinute === undefined && !Number.isFinite(settings.maxConcurrency);
  /** An attempt under the caller's `signal`. */
  const beginAttempt = (signal: AbortSignal | undefined, estimated: number, callId: string): Attempt | Promise<Attempt> =>
    neverWaits ? { scope: scopes.open(signal), reservation: UNLIMITED } : beginLimitedAttempt(signal, estimated, callId);
  const beginLimitedAttempt = async (signal: AbortSignal | undefined, estimated: number, callId: string): Promise<Attempt> => {
    const reservation = await limiter.acquire(estimated, signal);
    const release = await slots.acquire(signal, (queued) =>
      events?.emit({
        type: 'model.concurrency.wait',
        callId,
        provider: provider.provider,
        model: provider.modelId,
        maxConcurrency: settings.maxConcurrency,
        queued,
      }),
    );
    return { scope: scopes.open(signal), reservation, release };
  };

  /** After a failed attempt: sleeps the backoff and returns (retry), or reports to the breaker and throws. */
  const backoffOrThrow = async (error: unknown, attempt: number, callId: string, signal: AbortSignal | undefined, ticket: BreakerTicket) => {
    const kind = classifyError(error);
    const retryAfterMs = retryAfterOf(error);
    const canRetry =
      kind.transient && attempt < settings.maxRetries && (retryAfterMs === undefined || retryAfterMs <= settings.maxRetryAfterMs);
    if (!canRetry) {
      settleTicket(ticket, error);
      throw error;
    }
    const delayMs = retryDelay(attempt, settings.backoff, random, retryAfterMs);
    events?.emit({ type: 'model.retry', callId, provider: provider.provider, model: provider.modelId, attempt: attempt + 1, delayMs, reason: kind.reason });
    try {
      await clock.sleep(delayMs, signal);
    } catch (abort) {
      ticket.neutral();
      throw abort;
    }
  };

  /** One call of `doGenerate`, across its attempts. */
  interface Call {
    /**
     * The request as last sent (as given, before the first attempt). Each attempt sends a copy with its
     * own signal; keeping that copy rather than the one given holds one request per call, not two.
     */
    request: ProviderRequest;
    /** The caller's signal. */
    readonly signal: AbortSignal | undefined;
    readonly callId: string;
    readonly ticket: BreakerTicket;
    readonly estimated: number;
  }
  // A call's attempts as a chain of reactions, not an async loop: thousands of calls may wait at once,
  // and a suspended async frame holds several times what the one reaction waiting here does.
  const generateFrom = (call: Call, attempt: number): Promise<ProviderResult> => {
    let begun: Attempt | Promise<Attempt>;
    try {
      begun = beginAttempt(call.signal, call.estimated, call.callId);
    } catch (error) {
      return retryAfter(call, attempt, error);
    }
    if (begun instanceof Promise)
      return begun.then(
        (current) => generateIn(call, attempt, current),
        (error: unknown) => retryAfter(call, attempt, error),
      );
    return generateIn(call, attempt, begun);
  };
  const generateIn = (call: Call, attempt: number, current: Attempt): Promise<ProviderResult> => {
    let work: Promise<ProviderResult>;
    try {
      call.request = copyWith(call.request, 'signal', current.scope.signal);
      work = Promise.resolve(provider.doGenerate(call.request));
    } catch (error) {
      work = Promise.reject(error);
    }
    return current.scope.race(work).then(
      (result) => {
        try {
          current.reservation.settle(totalTokens(result.usage));
          call.ticket.success();
        } finally {
          endAttempt(current);
        }
        return result;
      },
      (error: unknown) => {
        const outcome = current.scope.interruption() ?? error;
        endAttempt(current);
        return retryAfter(call, attempt, outcome);
      },
    );
  };
  /** After a failed attempt: the next one once its backoff is slept, or the final error. */
  const retryAfter = (call: Call, attempt: number, outcome: unknown): Promise<ProviderResult> =>
    backoffOrThrow(outcome, attempt, call.callId, call.signal, call.ticket).then(() => generateFrom(call, attempt + 1));

  return {
    provider: provider.provider,
    modelId: provider.modelId,
    endpoint,
    structuredMode: provider.structuredMode,
    ...(provider.connect ? { connect: () => provider.connect!() } : {}),

    doGenerate(request: ProviderRequest): Promise<ProviderResult> {
      try {
        const callId = request.callId ?? ids.next('call');
        return generateFrom({ request, signal: request.signal, callId, ticket: breaker.admit(), estimated: estimate(request) }, 0);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    async *doStream(request: ProviderRequest): AsyncIterable<ProviderStreamPart> {
      const callId = request.callId ?? ids.next('call');
      const ticket = breaker.admit();
      const estimated = estimate(request);
      for (let attempt = 0; ; attempt++) {
        let current: Attempt | undefined;
        let iterator: AsyncIterator<ProviderStreamPart> | undefined;
        let yielded = false;
        let consumerHolds = false;
        let outcome: unknown;
        try {
          const begun = beginAttempt(request.signal, estimated, callId);
          current = begun instanceof Promise ? await begun : begun;
          iterator = provider.doStream(copyWith(request, 'signal', current.scope.signal))[Symbol.asyncIterator]();
          for (;;) {
            const next = await current.scope.race(iterator.next());
            if (next.done) break;
            if (next.value.type === 'finish') current.reservation.settle(totalTokens(next.value.result.usage));
            yielded = true;
            consumerHolds = true;
            yield next.value;
            consumerHolds = false;
          }
          iterator = undefined;
          ticket.success();
          return;
        } catch (error) {
          if (consumerHolds) throw error; // thrown into us by the consumer, not by the provider
          outcome = current?.scope.interruption() ?? error;
        } finally {
          // The consumer stopped early (break/return): the endpoint was answering fine.
          if (consumerHolds) ticket.success();
          if (current) endAttempt(current);
          if (iterator) closeQuietly(iterator);
        }
        if (yielded) {
          const kind = classifyError(outcome);
          settleTicket(ticket, outcome);
          if (!kind.transient) throw outcome;
          throw new ModelConnectionError(
            provider.provider,
            `stream broke after output began (${kind.reason}); not retried, so no output is repeated`,
            { cause: outcome },
          );
        }
        await backoffOrThrow(outcome, attempt, callId, request.signal, ticket);
      }
    },
  };
}

/** Reports a final error to the breaker: transient faults count against it, answered client errors for it, the rest neither. */
function settleTicket(ticket: BreakerTicket, error: unknown): void {
  const kind = classifyError(error);
  if (kind.transient) ticket.failure();
  else if (kind.reason.startsWith('status ')) ticket.success();
  else ticket.neutral();
}

function totalTokens(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens + (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0);
}

/**
 * Tells an abandoned provider stream to stop (closing its HTTP body) without waiting for it: a provider
 * that ignores its signal must not hold the caller. Its own late errors are of no interest by then.
 */
function closeQuietly(iterator: AsyncIterator<unknown>): void {
  try {
    Promise.resolve(iterator.return?.()).catch(() => undefined);
  } catch {
    // A hand-written iterator whose return() throws synchronously: same as above.
  }
}

function endAttempt(attempt: { readonly scope: AttemptScope; readonly release?: () => void }): void {
  attempt.scope.end();
  attempt.release?.();
}
