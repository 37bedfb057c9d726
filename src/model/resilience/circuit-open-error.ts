import { TaskforceError } from '../../errors/taskforce-error.js';

/**
 * The circuit breaker of an endpoint is open (it failed repeatedly), so the call was rejected without
 * reaching the provider. Retry after `retryInMs`, or let the caller fall back to another model.
 */
export class CircuitOpenError extends TaskforceError {
  readonly endpoint: string;
  /** Milliseconds until the breaker lets a probe through (0 when a probe is already in flight). */
  readonly retryInMs: number;
  constructor(endpoint: string, retryInMs: number, detail: string) {
    super('MODEL_CIRCUIT_OPEN', `circuit breaker for "${endpoint}" is open: ${detail}`);
    this.endpoint = endpoint;
    this.retryInMs = retryInMs;
  }
}
