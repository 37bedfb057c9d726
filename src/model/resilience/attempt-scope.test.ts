import { describe, expect, it } from 'vitest';
import { ModelTimeoutError } from '../../errors/model-errors.js';
import { AbortedError } from '../../errors/taskforce-error.js';
import { manualClock } from '../../util/clock.js';
import { AttemptScopes } from './attempt-scope.js';
import { TimeoutLine } from './timeout-line.js';

const never = () => new Promise<never>(() => undefined);

describe('AttemptScopes', () => {
  it('lets attempts started together under one caller share a signal, each cut with its own error', async () => {
    const clock = manualClock();
    const scopes = new AttemptScopes('p', clock, new TimeoutLine(clock, 1000));
    const caller = new AbortController().signal;
    const [a, b] = [scopes.open(caller), scopes.open(caller)];
    expect(a.signal).toBe(b.signal);
    const races = [a.race(never()), b.race(never())];
    races.forEach((race) => race.catch(() => undefined));
    await clock.advance(1000);
    await expect(races[0]).rejects.toBeInstanceOf(ModelTimeoutError);
    await expect(races[1]).rejects.toBeInstanceOf(ModelTimeoutError);
    expect(a.interruption()).not.toBe(b.interruption());
    expect(a.signal.reason).toBe(a.interruption());
    expect(clock.pending()).toBe(0);
  });

  it('leaves an ended attempt alone when the others of its signal are cut', async () => {
    const clock = manualClock();
    const scopes = new AttemptScopes('p', clock, new TimeoutLine(clock, 1000));
    const caller = new AbortController();
    const [a, b] = [scopes.open(caller.signal), scopes.open(caller.signal)];
    a.end();
    caller.abort();
    expect(a.interruption()).toBeUndefined();
    expect(b.interruption()).toBeInstanceOf(AbortedError);
    expect(b.signal.aborted).toBe(true);
  });

  it('gives attempts of different callers, or started at different times, signals of their own', async () => {
    const clock = manualClock();
    const scopes = new AttemptScopes('p', clock, new TimeoutLine(clock, 1000));
    const [one, two] = [new AbortController(), new AbortController()];
    const a = scopes.open(one.signal);
    const b = scopes.open(two.signal);
    await clock.advance(1);
    const c = scopes.open(one.signal);
    expect(new Set([a.signal, b.signal, c.signal]).size).toBe(3);
    one.abort();
    expect([a, b, c].map((scope) => scope.signal.aborted)).toEqual([true, false, true]);
    expect(b.interruption()).toBeUndefined();
  });

  it('lets an attempt that starts after the last one of its millisecond ended take its signal again, cut as its own', async () => {
    const clock = manualClock();
    const line = new TimeoutLine(clock, 1000);
    const scopes = new AttemptScopes('p', clock, line);
    const caller = new AbortController();
    const first = scopes.open(caller.signal);
    first.end();
    // Ended: nothing waits on the clock or the caller for it.
    expect(clock.pending()).toBe(0);
    const second = scopes.open(caller.signal);
    expect(second.signal).toBe(first.signal);
    const race = second.race(never());
    race.catch(() => undefined);
    await clock.advance(1000);
    await expect(race).rejects.toBeInstanceOf(ModelTimeoutError);
    expect(first.interruption()).toBeUndefined();
    // Cut, the signal is never handed out again.
    const third = scopes.open(caller.signal);
    expect(third.signal).not.toBe(first.signal);
    expect(third.signal.aborted).toBe(false);
    third.end();
    // A caller that aborted while the group was idle cuts the next attempt at once.
    await clock.advance(1);
    const fourth = scopes.open(caller.signal);
    fourth.end();
    caller.abort();
    const fifth = scopes.open(caller.signal);
    expect(fifth.interruption()).toBeInstanceOf(AbortedError);
    expect(fifth.signal.aborted).toBe(true);
  });

  it('without a timeout, still shares a signal only within the millisecond (SDKs leave a listener on it per call)', async () => {
    const clock = manualClock();
    const scopes = new AttemptScopes('p', clock, undefined);
    const a = scopes.open(undefined);
    a.end();
    const b = scopes.open(undefined);
    expect(b.signal).toBe(a.signal);
    b.end();
    await clock.advance(1);
    const c = scopes.open(undefined);
    expect(c.signal).not.toBe(a.signal);
  });

  it('cuts an attempt whose caller had already aborted', async () => {
    const scopes = new AttemptScopes('p', manualClock(), undefined);
    const scope = scopes.open(AbortSignal.abort());
    expect(scope.signal.aborted).toBe(true);
    await expect(scope.race(never())).rejects.toBeInstanceOf(AbortedError);
  });
});
