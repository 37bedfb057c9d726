import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from './budget-errors.js';
import { isAborted, isBudgetStop, isStop, stopKind } from './classify.js';
import { ERROR_CODES } from './codes.js';
import { ModelConnectionError, ModelTimeoutError } from './model-errors.js';
import { AbortedError, ConfigError, TaskforceError } from './taskforce-error.js';

const aborted = (): AbortSignal => AbortSignal.abort('cancelled by the caller');
const live = (): AbortSignal => new AbortController().signal;

describe('stop or fault', () => {
  it('calls a budget reached a budget stop, whatever the signal', () => {
    const error = new BudgetExceededError('tokens', 120, 100);
    expect(stopKind(error)).toBe('budget');
    expect(stopKind(error, live())).toBe('budget');
    expect(stopKind(error, aborted())).toBe('budget');
    expect(isStop(error)).toBe(true);
    expect(isBudgetStop(error)).toBe(true);
    expect(isAborted(error)).toBe(false);
  });

  it('calls an abort a cancellation, with or without a signal', () => {
    const error = new AbortedError('the caller cancelled');
    expect(stopKind(error)).toBe('cancelled');
    expect(stopKind(error, live())).toBe('cancelled');
    expect(isStop(error)).toBe(true);
    expect(isAborted(error)).toBe(true);
    expect(isBudgetStop(error)).toBe(false);
  });

  it('calls any error a cancellation once the signal has fired (providers reject with their own errors)', () => {
    for (const error of [new Error('socket hang up'), new ModelConnectionError('openai', 'reset'), 'a string', undefined]) {
      expect(stopKind(error, aborted())).toBe('cancelled');
      expect(isStop(error, aborted())).toBe(true);
      expect(isAborted(error)).toBe(false);
    }
  });

  it('calls every other failure a fault', () => {
    const faults: unknown[] = [
      new Error('agent crashed'),
      new ModelTimeoutError('anthropic', 1000),
      new ConfigError('model: missing'),
      { code: 'ABORTED' },
      'BUDGET_EXCEEDED',
      null,
      undefined,
    ];
    for (const error of faults) {
      expect(stopKind(error)).toBeUndefined();
      expect(stopKind(error, live())).toBeUndefined();
      expect(isStop(error, live())).toBe(false);
    }
  });

  it('calls a Taskforce error of every code but the two stop codes a fault', () => {
    const stops = ERROR_CODES.filter((code) => isStop(new TaskforceError(code, 'x')));
    expect(stops).toEqual(['ABORTED', 'BUDGET_EXCEEDED']);
  });

  it('reads only the stable code, so a plain Error that carries a stop code is a fault', () => {
    // An Error from elsewhere (a Node error, a user's own) is not a Taskforce stop just because of its code.
    expect(isStop(Object.assign(new Error('stopped'), { code: 'BUDGET_EXCEEDED' }))).toBe(false);
    expect(isStop(Object.assign(new Error('stopped'), { code: 'ABORTED' }))).toBe(false);
  });

  it('recognises a stop from a duplicate copy of the package (marker and code, no instanceof)', () => {
    const foreign = Object.assign(new Error('budget "tokens" reached'), { code: 'BUDGET_EXCEEDED', [Symbol.for('taskforce.error')]: true });
    expect(foreign instanceof TaskforceError).toBe(false);
    expect(stopKind(foreign)).toBe('budget');
    const foreignAbort = Object.assign(new Error('aborted'), { code: 'ABORTED', [Symbol.for('taskforce.error')]: true });
    expect(stopKind(foreignAbort)).toBe('cancelled');
  });
});
