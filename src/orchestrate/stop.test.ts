import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../errors/budget-errors.js';
import { AbortedError } from '../errors/taskforce-error.js';
import { stopOf } from './stop.js';

describe('stopOf', () => {
  it('reports the caller’s own abort reason, whether a string or an Error', () => {
    const byString = new AbortController();
    byString.abort('cancelled with Ctrl-C (SIGINT)');
    expect(stopOf(new AbortedError(), byString.signal)).toEqual({ kind: 'cancelled', detail: 'cancelled with Ctrl-C (SIGINT)' });
    const byError = new AbortController();
    byError.abort(new Error('user pressed stop'));
    expect(stopOf(new AbortedError(), byError.signal)).toEqual({ kind: 'cancelled', detail: 'user pressed stop' });
  });

  it('falls back to the error’s message when the abort gave no reason of its own', () => {
    const controller = new AbortController();
    controller.abort();
    expect(stopOf(new AbortedError('the runtime was closed'), controller.signal)).toEqual({ kind: 'cancelled', detail: 'the runtime was closed' });
  });

  it('names the budget that stopped the work, and is not a stop for other errors', () => {
    expect(stopOf(new BudgetExceededError('costUsd', 0.5, 0.5))).toMatchObject({ kind: 'budget', budget: 'costUsd' });
    expect(stopOf(new Error('boom'))).toBeUndefined();
  });
});
