import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../errors/taskforce-error.js';
import { createSlots } from './slots.js';

describe('createSlots', () => {
  it('hands out at most max slots and passes a freed one to the next in line', async () => {
    const slots = createSlots(1);
    const order: string[] = [];
    const first = await slots.acquire();
    const second = slots.acquire().then((release) => {
      order.push('second');
      return release;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    first();
    (await second)();
    expect(order).toEqual(['second']);
  });

  it('tells a caller at once that it has to wait in line, and only then', async () => {
    const slots = createSlots(1);
    const queued: number[] = [];
    const first = await slots.acquire(undefined, (n) => queued.push(n));
    expect(queued).toEqual([]);
    const second = slots.acquire(undefined, (n) => queued.push(n));
    void slots.acquire(undefined, (n) => queued.push(n));
    expect(queued).toEqual([1, 2]);
    first();
    (await second)();
  });

  it('lets a caller that aborts while queued leave without taking a slot', async () => {
    const slots = createSlots(1);
    const held = await slots.acquire();
    const controller = new AbortController();
    const abandoned = slots.acquire(controller.signal);
    controller.abort();
    await expect(abandoned).rejects.toBeInstanceOf(AbortedError);
    held();
    const next = await slots.acquire();
    expect(typeof next).toBe('function');
  });

  it('ignores a second release of the same slot', async () => {
    const slots = createSlots(1);
    const release = await slots.acquire();
    release();
    const again = await slots.acquire();
    release(); // must not free `again`'s slot
    let third = false;
    void slots.acquire().then(() => (third = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    again();
  });
});
