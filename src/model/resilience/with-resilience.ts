import { ModelConnectionError } from '../../errors/model-errors.js';
import { sequentialIds } from '../../util/ids.js';
import { estimateInputTokens } from '../tokens.js';
import type { ProviderModel, ProviderRequest, ProviderResult, ProviderStreamPart, Usage } from '../types.js';
import { openAttemptScope, type AttemptScope } from './attempt-scope.js';
import { retryDelay } from './backoff.js';
import { createCircuitBreaker, type BreakerTicket } from './breaker.js';
import { classifyError, retryAfterOf } from './classify.js';
import { createRateLimiter, type RateReservation } from './rate-limiter.js';
import { resolveResilienceSettings } from './settings.js';
import { createSlots } from './slots.js';
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

  // Estimating tokens walks the request, so only when a token rate limit needs it.
  const estimate = (request: ProviderRequest) =>
    settings.tokensPerMinute === undefined ? 0 : estimateInputTokens(request) + (request.maxTokens ?? settings.outputTokensEstimate);

  interface Attempt {
    readonly scope: AttemptScope;
    readonly reservation: RateReservation;
    end(): void;
  }
  // With no rate limit and no concurrency cap nothing can make a call wait: an attempt begins at once,
  // without the two awaits (and their promises) that most calls would otherwise pay for nothing.
  const neverWaits = settings.requestsPerMinute === undefined && settings.tokensPerMinute === undefined && !Number.isFinite(settings.maxConcurrency);
  const openAttempt = (request: ProviderRequest): Attempt => {
    const scope = openAttemptScope(request.signal, settings.timeoutMs, clock, provider.provider);
    return { scope, reservation: UNLIMITED, end: () => scope.end() };
  };
  const beginAttempt = (request: ProviderRequest, estimated: number, callId: string): Attempt | Promise<Attempt> =>
    neverWaits ? openAttempt(request) : beginLimitedAttempt(request, estimated, callId);
  const beginLimitedAttempt = async (request: ProviderRequest, estimated: number, callId: string): Promise<Attempt> => {
    const reservation = await limiter.acquire(estimated, request.signal);
    const release = await slots.acquire(request.signal, (queued) =>
      events?.emit({
        type: 'model.concurrency.wait',
        callId,
        provider: provider.provider,
        model: provider.modelId,
        maxConcurrency: settings.maxConcurrency,
        queued,
      }),
    );
    const scope = openAttemptScope(request.signal, settings.timeoutMs, clock, provider.provider);
    return {
      scope,
      reservation,
      end() {
        scope.end();
        release();
      },
    };
  };

  /** After a failed attempt: sleeps the backoff and returns (retry), or reports to the breaker and throws. */
  const backoffOrThrow = async (error: unknown, attempt: number, callId: string, request: ProviderRequest, ticket: BreakerTicket) => {
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
      await clock.sleep(delayMs, request.signal);
    } catch (abort) {
      ticket.neutral();
      throw abort;
    }
  };

  return {
    provider: provider.provider,
    modelId: provider.modelId,
    endpoint,
    structuredMode: provider.structuredMode,
    ...(provider.connect ? { connect: () => provider.connect!() } : {}),

    async doGenerate(request: ProviderRequest): Promise<ProviderResult> {
      const callId = request.callId ?? ids.next('call');
      const ticket = breaker.admit();
      const estimated = estimate(request);
      for (let attempt = 0; ; attempt++) {
        let current: Attempt | undefined;
        let outcome: unknown;
        try {
          const begun = beginAttempt(request, estimated, callId);
          current = begun instanceof Promise ? await begun : begun;
          const result = await current.scope.race(provider.doGenerate({ ...request, signal: current.scope.signal }));
          current.reservation.settle(totalTokens(result.usage));
          ticket.success();
          return result;
        } catch (error) {
          outcome = current?.scope.interruption() ?? error;
        } finally {
          current?.end();
        }
        await backoffOrThrow(outcome, attempt, callId, request, ticket);
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
          const begun = beginAttempt(request, estimated, callId);
          current = begun instanceof Promise ? await begun : begun;
          iterator = provider.doStream({ ...request, signal: current.scope.signal })[Symbol.asyncIterator]();
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
          current?.end();
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
        await backoffOrThrow(outcome, attempt, callId, request, ticket);
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
