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
