import { describe, expect, it } from 'vitest';
import { manualClock } from '../util/clock.js';
import { createEventBus } from './bus.js';
import type { TaskforceEvent } from './types.js';

describe('event bus', () => {
  it('stamps the clock time and the child run id, and filters by type', async () => {
    const clock = manualClock(5);
    const bus = createEventBus({ clock });
    const all: TaskforceEvent[] = [];
    const logs: string[] = [];
    bus.on((e) => all.push(e));
    bus.onType('log', (e) => logs.push(e.message));
    bus.child('run_1').emit({ type: 'log', level: 'info', message: 'hello' });
    await clock.advance(10);
    bus.emit({ type: 'task.skipped', taskId: 't', reason: 'dependency failed' });
    expect(all).toEqual([
      { type: 'log', level: 'info', message: 'hello', at: 5, runId: 'run_1' },
      { type: 'task.skipped', taskId: 't', reason: 'dependency failed', at: 15 },
    ]);
    expect(logs).toEqual(['hello']);
  });

  it('keeps delivering when a listener throws, and reports the error', () => {
    const errors: unknown[] = [];
    const bus = createEventBus({ clock: manualClock(), onListenerError: (e) => errors.push(e) });
    const received: string[] = [];
    bus.on(() => {
      throw new Error('bad listener');
    });
    bus.on((e) => received.push(e.type));
    bus.emit({ type: 'log', level: 'info', message: 'x' });
    expect(received).toEqual(['log']);
    expect(errors).toHaveLength(1);
  });

  it('unsubscribes', () => {
    const bus = createEventBus({ clock: manualClock() });
    let count = 0;
    const off = bus.on(() => count++);
    bus.emit({ type: 'log', level: 'info', message: 'a' });
    off();
    bus.emit({ type: 'log', level: 'info', message: 'b' });
    expect(count).toBe(1);
  });

  it('says whether anyone listens, the same on a parent and its children', () => {
    const bus = createEventBus({ clock: manualClock() });
    const child = bus.child('run_1');
    const grandchild = child.child('run_2');
    expect([bus.hasListeners(), child.hasListeners(), grandchild.hasListeners()]).toEqual([false, false, false]);

    const off = grandchild.onType('log', () => undefined);
    expect([bus.hasListeners(), child.hasListeners(), grandchild.hasListeners()]).toEqual([true, true, true]);
    off();
    expect(bus.hasListeners()).toBe(false);

    const offAll = bus.on(() => undefined);
    expect(grandchild.hasListeners()).toBe(true);
    offAll();
    expect(child.hasListeners()).toBe(false);
  });
});
