import { ConfigError } from '../errors/taskforce-error.js';
import type { EventBus } from '../events/bus.js';
import { systemClock, type Clock } from '../util/clock.js';
import { systemRandom, type Random } from '../util/random.js';
import type { BudgetTracker } from '../runtime/budget.js';
import { resolveRetryPolicy, type ResolvedRetryPolicy } from './retry-policy.js';
import type { FailurePolicy, ScheduleOptions } from './types.js';

const DEFAULT_CONCURRENCY = 4;

/** {@link ScheduleOptions} checked, with every default filled in. */
export interface ResolvedScheduleOptions {
  readonly concurrency: number;
  readonly failurePolicy: FailurePolicy;
  readonly retry: ResolvedRetryPolicy;
  readonly timeoutMs: ScheduleOptions['timeoutMs'];
  readonly clock: Clock;
  readonly random: Random;
  readonly events: EventBus | undefined;
  readonly budget: BudgetTracker | undefined;
  readonly resourceName: string;
  readonly signal: AbortSignal | undefined;
}

/**
 * Checks the options of a schedule and fills in the defaults.
 * @throws ConfigError naming the bad option and its value.
 */
export function resolveScheduleOptions(options: ScheduleOptions): ResolvedScheduleOptions {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new ConfigError(`concurrency must be an integer >= 1, got ${String(options.concurrency)}`);
  const failurePolicy = options.failurePolicy ?? 'fail-fast';
  if (failurePolicy !== 'fail-fast' && failurePolicy !== 'continue')
    throw new ConfigError(`failurePolicy must be "fail-fast" or "continue", got ${JSON.stringify(failurePolicy)}`);
  return {
    concurrency,
    failurePolicy,
    retry: resolveRetryPolicy(options.retry),
    timeoutMs: options.timeoutMs,
    clock: options.clock ?? systemClock(),
    random: options.random ?? systemRandom(),
    events: options.events,
    budget: options.budget,
    resourceName: options.resourceName ?? 'scheduler.slot',
    signal: options.signal,
  };
}
