import { TaskforceError } from './taskforce-error.js';

/**
 * A provider answered with an HTTP error. Providers map their SDK's errors to this class so that
 * retries, the circuit breaker and callers see one shape whatever the provider.
 */
export class ModelApiError extends TaskforceError {
  readonly provider: string;
  readonly status: number;
  /** Milliseconds the provider asked us to wait (retry-after-ms, retry-after, rate-limit reset), if any. */
  readonly retryAfterMs: number | undefined;
  readonly headers: Record<string, string>;

  constructor(args: {
    provider: string;
    status: number;
    message: string;
    retryAfterMs?: number;
    headers?: Record<string, string>;
    cause?: unknown;
  }) {
    super('MODEL_API_ERROR', `${args.provider} API error ${args.status}: ${args.message}`, { cause: args.cause });
    this.provider = args.provider;
    this.status = args.status;
    this.retryAfterMs = args.retryAfterMs;
    this.headers = args.headers ?? {};
  }
}

/** The connection to the provider failed or broke mid-response (including a cut stream). */
export class ModelConnectionError extends TaskforceError {
  readonly provider: string;
  constructor(provider: string, message: string, options?: { cause?: unknown }) {
    super('MODEL_CONNECTION_ERROR', `${provider} connection error: ${message}`, options);
    this.provider = provider;
  }
}

/** One model call took longer than its per-call timeout. */
export class ModelTimeoutError extends TaskforceError {
  readonly timeoutMs: number;
  constructor(provider: string, timeoutMs: number) {
    super('MODEL_TIMEOUT', `${provider} call timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The provider returned a body we could not read (malformed JSON, missing fields). */
export class ModelResponseError extends TaskforceError {
  readonly provider: string;
  readonly raw: string | undefined;
  constructor(provider: string, message: string, raw?: string, options?: { cause?: unknown }) {
    super('MODEL_RESPONSE_ERROR', `${provider} returned an unreadable response: ${message}`, options);
    this.provider = provider;
    this.raw = raw;
  }
}
