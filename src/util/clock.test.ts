import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors/taskforce-error.js';
import { manualClock } from './clock.js';

describe('manualClock', () => {
  it('resolves sleepers only when time passes their deadline, in deadline order', async () => {
    const clock = manualClock(100);
    const woke: string[] = [];
    void clock.sleep(50).then(() => woke.push(`b@${clock.now()}`));
    void clock.sleep(20).then(() => woke.push(`a@${clock.now()}`));
    await clock.advance(19);
    expect(woke).toEqual([]);
    await clock.advance(40);
    expect(woke).toEqual(['a@120', 'b@150']);
    expect(clock.now()).toBe(159);
  });

  it('wakes sleepers registered by code that an earlier sleeper woke', async () => {
    const clock = manualClock();
    const times: number[] = [];
    void (async () => {
      await clock.sleep(10);
      times.push(clock.now());
      await clock.sleep(10);
      times.push(clock.now());
    })();
    await clock.advance(25);
    expect(times).toEqual([10, 20]);
  });

  it('runNext jumps to the next deadline and reports when none is pending', async () => {
    const clock = manualClock();
    void clock.sleep(300);
    expect(clock.pending()).toBe(1);
    expect(await clock.runNext()).toBe(true);
    expect(clock.now()).toBe(300);
    expect(await clock.runNext()).toBe(false);
  });

  it('rejects a sleep with AbortedError when its signal fires, and forgets it', async () => {
    const clock = manualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toBeInstanceOf(AbortedError);
    expect(clock.pending()).toBe(0);
  });
});
