import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from './budget-errors.js';
import { errorInfo, errorMessage } from './error-info.js';

describe('errorMessage and errorInfo', () => {
  it('read the message of an Error and the text of anything else', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });

  it('keep a thrown value’s own string code, and use the caller’s fallback otherwise', () => {
    expect(errorInfo(new BudgetExceededError('modelCalls', 3, 3), 'TASK_ERROR')).toEqual({
      message: 'budget "modelCalls" reached: used 3 of 3',
      code: 'BUDGET_EXCEEDED',
    });
    expect(errorInfo(Object.assign(new Error('no such file'), { code: 'ENOENT' }), 'RUN_ERROR').code).toBe('ENOENT');
    expect(errorInfo(new Error('boom'), 'TASK_ERROR')).toEqual({ message: 'boom', code: 'TASK_ERROR' });
    expect(errorInfo(Object.assign(new Error('odd'), { code: 7 }), 'RUN_ERROR').code).toBe('RUN_ERROR');
    expect(errorInfo(null, 'RUN_ERROR')).toEqual({ message: 'null', code: 'RUN_ERROR' });
    expect(errorInfo(undefined, 'RUN_ERROR')).toEqual({ message: 'undefined', code: 'RUN_ERROR' });
  });
});
