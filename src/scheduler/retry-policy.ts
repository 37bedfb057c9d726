import { ConfigError } from '../errors/taskforce-error.js';
import type { Random } from '../util/random.js';
import type { RetryPolicy } from './types.js';

/** A retry policy with every default filled in and checked. */
export interface ResolvedRetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
  readonly retryOn: RetryPolicy['retryOn'];
}

/** Fills defaults and rejects nonsense (negative delays, jitter outside [0, 1]) with a ConfigError naming the field. */
export function resolveRetryPolicy(policy: RetryPolicy | undefined): ResolvedRetryPolicy {
  const resolved: ResolvedRetryPolicy = {
    maxAttempts: policy?.maxAttempts ?? 1,
    baseDelayMs: policy?.baseDelayMs ?? 500,
    factor: policy?.factor ?? 2,
    maxDelayMs: policy?.maxDelayMs ?? 30_000,
    jitter: policy?.jitter ?? 0.5,
    retryOn: policy?.retryOn,
  };
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1)
    throw new ConfigError(`retry.maxAttempts must be an integer >= 1, got ${resolved.maxAttempts}`);
  for (const field of ['baseDelayMs', 'maxDelayMs'] as const)
    if (!(resolved[field] >= 0)) throw new ConfigError(`retry.${field} must be a number >= 0, got ${resolved[field]}`);
  if (!(resolved.factor >= 1)) throw new ConfigError(`retry.factor must be a number >= 1, got ${resolved.factor}`);
  if (!(resolved.jitter >= 0 && resolved.jitter <= 1))
    throw new ConfigError(`retry.jitter must be within [0, 1], got ${resolved.jitter}`);
  return resolved;
}

/**
 * Delay before retry number `retry` (1 = the first retry): exponential, capped at `maxDelayMs`, then
 * jittered down by up to `jitter` of itself, so many tasks failing together do not retry in lockstep.
 */
export function retryDelayMs(policy: ResolvedRetryPolicy, retry: number, random: Random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** (retry - 1));
  if (policy.jitter === 0) return exponential;
  return exponential * (1 - policy.jitter + policy.jitter * random.next());
}
