import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linkSignals } from './signals.js';

describe('linkSignals', () => {
  it('returns a single source as it is', () => {
    const source = new AbortController().signal;
    expect(linkSignals([source, undefined]).signal).toBe(source);
  });

  it('aborts with the reason of whichever source fires first', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkSignals([a.signal, b.signal]);
    b.abort('b went');
    a.abort('a went');
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('b went');
  });

  it('is aborted at once when a source already is', () => {
    const a = new AbortController();
    a.abort('early');
    expect(linkSignals([new AbortController().signal, a.signal]).signal.reason).toBe('early');
  });

  it('leaves no listener on its sources once released', () => {
    const source = new AbortController();
    for (let i = 0; i < 100; i++) linkSignals([source.signal, new AbortController().signal]).release();
    expect(getEventListeners(source.signal, 'abort')).toHaveLength(0);
  });

  it('lets many waiters listen when asked, without Node warning', () => {
    const linked = linkSignals([new AbortController().signal], { manyListeners: true });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    for (let i = 0; i < 20; i++) linked.signal.addEventListener('abort', () => undefined);
    process.off('warning', onWarning);
    expect(warnings).toEqual([]);
  });
});

describe('linkSignals with a repeated source', () => {
  it('links a signal given twice as that one signal, with no listener on it', () => {
    const source = new AbortController().signal;
    expect(linkSignals([source, source]).signal).toBe(source);
    expect(getEventListeners(source, 'abort')).toHaveLength(0);
  });
});
