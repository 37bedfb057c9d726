export { withResilience } from './with-resilience.js';
export type { ResilienceDeps, ResilienceOptions } from './types.js';
export { CircuitOpenError } from './circuit-open-error.js';
export { createBreakerRegistry, createCircuitBreaker, type BreakerRegistry, type CircuitBreaker, type BreakerTicket } from './breaker.js';
export { backoffCeiling, fullJitterDelay, retryDelay, type BackoffSettings } from './backoff.js';
export { classifyError, isRetryableStatus, type ErrorClass } from './classify.js';
export { RESILIENCE_DEFAULTS, resolveResilienceSettings, type ResilienceSettings } from './settings.js';
