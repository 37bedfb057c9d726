import type { ErrorCode } from './codes.js';

const MARKER = Symbol.for('taskforce.error');

/**
 * Base class of every error Taskforce throws. `code` is stable: callers branch on it.
 * `isInstance` works across duplicate copies of the package, where `instanceof` does not.
 */
export class TaskforceError extends Error {
  readonly [MARKER] = true;
  /** Stable machine-readable code, e.g. `MODEL_API_ERROR`: one of `ERROR_CODES`. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }

  static isInstance(value: unknown): value is TaskforceError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** A user-supplied setting is missing or wrong (names the setting). */
export class ConfigError extends TaskforceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_ERROR', message, options);
  }
}

/** The caller's AbortSignal fired; work in flight was stopped. */
export class AbortedError extends TaskforceError {
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super('ABORTED', message, options);
  }
}
