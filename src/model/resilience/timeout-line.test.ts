import { describe, expect, it } from 'vitest';
import { manualClock } from '../../util/clock.js';
import { TimeoutLine, type TimeoutEntry } from './timeout-line.js';

const entry = (expired: string[], name: string): TimeoutEntry => ({
  deadline: Infinity,
  prev: undefined,
  next: undefined,
  expire: () => expired.push(name),
});

describe('TimeoutLine', () => {
  it('times out each entry at its own deadline, on one clock timer', async () => {
    const clock = manualClock();
    const line = new TimeoutLine(clock, 1000);
    const expired: string[] = [];
    line.add(entry(expired, 'a'));
    await clock.advance(300);
    line.add(entry(expired, 'b'));
    expect(clock.pending()).toBe(1);
    await clock.advance(700);
    expect(expired).toEqual(['a']);
    await clock.advance(299);
    expect(expired).toEqual(['a']);
    await clock.advance(1);
    expect(expired).toEqual(['a', 'b']);
    expect(clock.pending()).toBe(0);
  });

  it('never times out a removed entry, and holds no timer once nothing is on it', async () => {
    const clock = manualClock();
    const line = new TimeoutLine(clock, 1000);
    const expired: string[] = [];
    const a = entry(expired, 'a');
    const b = entry(expired, 'b');
    line.add(a);
    await clock.advance(500);
    line.add(b);
    line.remove(a);
    line.remove(a);
    await clock.advance(1000);
    expect(expired).toEqual(['b']);
    const c = entry(expired, 'c');
    line.add(c);
    line.remove(c);
    expect(clock.pending()).toBe(0);
  });
});

describe('TimeoutLine on a clock whose timers can stop keeping the process alive', () => {
  /** The manual clock's timers, counted, with `hold` recorded. */
  function holdingClock() {
    const clock = manualClock();
    const timers: { held: boolean; cancelled: boolean }[] = [];
    const withHold = {
      ...clock,
      timer(ms: number, fire: () => void) {
        const state = { held: true, cancelled: false };
        timers.push(state);
        const stop = new AbortController();
        clock.sleep(ms, stop.signal).then(fire, () => undefined);
        return { cancel: () => ((state.cancelled = true), stop.abort()), hold: (keep: boolean) => void (state.held = keep) };
      },
    };
    return { clock, line: new TimeoutLine(withHold, 1000), timers };
  }

  it('keeps one timer for calls one after another, released while nothing is on the line', async () => {
    const { clock, line, timers } = holdingClock();
    const expired: string[] = [];
    for (let i = 0; i < 5; i++) {
      const e = entry(expired, `e${i}`);
      line.add(e);
      expect(timers.at(-1)!.held).toBe(true);
      await clock.advance(10);
      line.remove(e);
      expect(timers.at(-1)!.held).toBe(false);
    }
    expect(timers).toHaveLength(1);
    // The idle timer fires early for the next entry and is armed again for it: the entry still times out on time.
    const late = entry(expired, 'late');
    line.add(late);
    await clock.advance(999);
    expect(expired).toEqual([]);
    expect(timers).toHaveLength(2);
    await clock.advance(1);
    expect(expired).toEqual(['late']);
  });
});
