import { isAborted } from '../../errors/classify.js';
import { TaskforceError } from '../../errors/taskforce-error.js';

/** How the resilience layer treats one failed attempt. */
export interface ErrorClass {
  /** A transient fault: worth another attempt, and a strike against the endpoint's breaker. */
  readonly transient: boolean;
  /** Short reason for events and logs, e.g. `status 429`, `connection`, `timeout`. */
  readonly reason: string;
}

/** HTTP statuses that mean "try again later": timeout, conflict, rate limit, server errors, overloaded (529). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Sorts an error into transient (retry; a strike against the breaker) or final. Final are client
 * errors (400/401/403/404/422 and every other 4xx: the same request fails again), aborts, every other
 * Taskforce error, and unknown errors (a bug is not fixed by retrying).
 *
 * Matches on the stable `code`, not `instanceof`, so errors from a duplicate copy of the package
 * are classified the same.
 */
export function classifyError(error: unknown): ErrorClass {
  if (!TaskforceError.isInstance(error)) return { transient: false, reason: error instanceof Error ? error.name : 'unknown' };
  switch (error.code) {
    case 'MODEL_API_ERROR': {
      const status = (error as { status?: unknown }).status;
      return typeof status === 'number'
        ? { transient: isRetryableStatus(status), reason: `status ${status}` }
        : { transient: false, reason: 'status unknown' };
    }
    case 'MODEL_TIMEOUT':
      return { transient: true, reason: 'timeout' };
    case 'MODEL_CONNECTION_ERROR':
      return { transient: true, reason: 'connection' };
    default:
      return { transient: false, reason: isAborted(error) ? 'aborted' : error.code };
  }
}

/** The provider's `retryAfterMs` hint, if the error carries one. */
export function retryAfterOf(error: unknown): number | undefined {
  if (!TaskforceError.isInstance(error) || error.code !== 'MODEL_API_ERROR') return undefined;
  const hint = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof hint === 'number' && Number.isFinite(hint) && hint >= 0 ? hint : undefined;
}
