import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CallerSignals } from './caller-signals.js';

const attempt = (aborted: string[], name: string) => ({ callerAborted: () => aborted.push(name) });

describe('CallerSignals', () => {
  it('tells every attempt watching a signal when it aborts, through one listener', () => {
    const callers = new CallerSignals();
    const controller = new AbortController();
    const aborted: string[] = [];
    const [a, b, c] = [attempt(aborted, 'a'), attempt(aborted, 'b'), attempt(aborted, 'c')];
    callers.watch(controller.signal, a);
    callers.watch(controller.signal, b);
    callers.watch(controller.signal, c);
    callers.unwatch(controller.signal, b);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    expect(aborted).toEqual(['a', 'c']);
  });

  it('leaves no listener on a signal once its last attempt stops watching', () => {
    const callers = new CallerSignals();
    const controller = new AbortController();
    const aborted: string[] = [];
    const a = attempt(aborted, 'a');
    callers.watch(controller.signal, a);
    callers.unwatch(controller.signal, a);
    callers.unwatch(controller.signal, a);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort();
    expect(aborted).toEqual([]);
  });
});
