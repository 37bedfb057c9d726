import { describe, expect, it } from 'vitest';
import { ModelApiError, ModelConnectionError, ModelResponseError, ModelTimeoutError } from '../../errors/model-errors.js';
import { StructuredOutputError } from '../../errors/output-errors.js';
import { AbortedError, ConfigError } from '../../errors/taskforce-error.js';
import { CircuitOpenError } from './circuit-open-error.js';
import { classifyError, retryAfterOf } from './classify.js';

const api = (status: number, retryAfterMs?: number) =>
  new ModelApiError({ provider: 'test', status, message: 'x', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });

describe('classifyError', () => {
  it.each([408, 409, 429, 500, 502, 503, 504, 529])('retries HTTP %i', (status) => {
    expect(classifyError(api(status))).toEqual({ transient: true, reason: `status ${status}` });
  });

  it.each([400, 401, 403, 404, 413, 422])('does not retry HTTP %i (the same request fails again)', (status) => {
    expect(classifyError(api(status)).transient).toBe(false);
  });

  it('retries connection failures and timeouts', () => {
    expect(classifyError(new ModelConnectionError('test', 'reset'))).toEqual({ transient: true, reason: 'connection' });
    expect(classifyError(new ModelTimeoutError('test', 10))).toEqual({ transient: true, reason: 'timeout' });
  });

  it('does not retry aborts, open breakers, unreadable replies or other Taskforce errors', () => {
    expect(classifyError(new AbortedError())).toEqual({ transient: false, reason: 'aborted' });
    expect(classifyError(new CircuitOpenError('e', 10, 'open')).transient).toBe(false);
    expect(classifyError(new ModelResponseError('test', 'bad json')).transient).toBe(false);
    expect(classifyError(new StructuredOutputError({ schemaName: 's', raw: '', issues: [], attempts: 1 })).transient).toBe(false);
    expect(classifyError(new ConfigError('bad')).transient).toBe(false);
  });

  it('does not retry unknown errors (a bug is not fixed by retrying)', () => {
    expect(classifyError(new TypeError('x is undefined'))).toEqual({ transient: false, reason: 'TypeError' });
    expect(classifyError('a string')).toEqual({ transient: false, reason: 'unknown' });
  });

  it('classifies by code, so an error from a duplicate package copy is treated the same', () => {
    const foreign = Object.assign(new Error('copy'), { [Symbol.for('taskforce.error')]: true, code: 'MODEL_API_ERROR', status: 503 });
    expect(classifyError(foreign).transient).toBe(true);
  });
});

describe('retryAfterOf', () => {
  it('reads the hint of an API error and ignores everything else', () => {
    expect(retryAfterOf(api(429, 1500))).toBe(1500);
    expect(retryAfterOf(api(429))).toBeUndefined();
    expect(retryAfterOf(new ModelConnectionError('test', 'reset'))).toBeUndefined();
  });
});
