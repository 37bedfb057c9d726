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

  it('keeps the listener of the last signal left idle, and only that one', () => {
    const callers = new CallerSignals();
    const [first, second] = [new AbortController(), new AbortController()];
    const aborted: string[] = [];
    const a = attempt(aborted, 'a');
    // Calls one after another on one signal: one listener all along, never removed and added again.
    for (let i = 0; i < 3; i++) {
      callers.watch(first.signal, a);
      callers.unwatch(first.signal, a);
      callers.unwatch(first.signal, a);
      expect(getEventListeners(first.signal, 'abort')).toHaveLength(1);
    }
    // Another signal's last attempt leaving takes the idle place: the first signal is let go.
    const b = attempt(aborted, 'b');
    callers.watch(second.signal, b);
    callers.unwatch(second.signal, b);
    expect(getEventListeners(first.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(second.signal, 'abort')).toHaveLength(1);
    expect(callers.listening).toBe(1);
    // An idle signal that aborts tells no one and is forgotten.
    second.abort();
    expect(aborted).toEqual([]);
    expect(callers.listening).toBe(0);
    first.abort();
    expect(aborted).toEqual([]);
  });

  it('watches a signal again after its idle listener fired', () => {
    const callers = new CallerSignals();
    const controller = new AbortController();
    const aborted: string[] = [];
    const a = attempt(aborted, 'a');
    callers.watch(controller.signal, a);
    callers.unwatch(controller.signal, a);
    const other = new AbortController();
    callers.watch(other.signal, a);
    other.abort();
    expect(aborted).toEqual(['a']);
    expect(callers.listening).toBe(1);
  });
});
