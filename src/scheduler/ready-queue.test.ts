import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReadyQueue } from './ready-queue.js';

interface Keys {
  remaining: Float64Array;
  priority: Uint8Array;
  idRank: Int32Array;
}

const keysArb = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc.record({
    remaining: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: n, maxLength: n }),
    priority: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
    rank: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
  }),
);

function toKeys(k: { remaining: number[]; priority: number[]; rank: number[] }): Keys {
  return { remaining: Float64Array.from(k.remaining), priority: Uint8Array.from(k.priority), idRank: Int32Array.from(k.rank) };
}

/** The order the queue must produce: remaining path desc, priority desc, id rank asc. */
function expectedOrder(keys: Keys, tasks: number[]): number[] {
  return [...tasks].sort(
    (a, b) => keys.remaining[b]! - keys.remaining[a]! || keys.priority[b]! - keys.priority[a]! || keys.idRank[a]! - keys.idRank[b]!,
  );
}

function drain(queue: ReadyQueue): number[] {
  const out: number[] = [];
  for (let t = queue.pop(); t >= 0; t = queue.pop()) out.push(t);
  return out;
}

describe('ReadyQueue', () => {
  it('pops tasks by longest remaining path, then priority, then id rank', () => {
    fc.assert(
      fc.property(keysArb, (k) => {
        const keys = toKeys(k);
        const queue = new ReadyQueue(keys.remaining, keys.priority, keys.idRank);
        const tasks = [...Array(keys.remaining.length).keys()];
        for (const t of tasks) queue.push(t);
        expect(drain(queue)).toEqual(expectedOrder(keys, tasks));
      }),
    );
  });

  it('keeps the order after keys change through update()', () => {
    fc.assert(
      fc.property(keysArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 }))), (k, changes) => {
        const keys = toKeys(k);
        const n = keys.remaining.length;
        const queue = new ReadyQueue(keys.remaining, keys.priority, keys.idRank);
        for (let t = 0; t < n; t++) queue.push(t);
        for (const [task, priority] of changes) {
          keys.priority[task % n] = priority;
          queue.update(task % n);
        }
        expect(drain(queue)).toEqual(expectedOrder(keys, [...Array(n).keys()]));
      }),
    );
  });

  it('ignores a second push of a queued task and reports membership', () => {
    const queue = new ReadyQueue(Float64Array.of(1, 2), Uint8Array.of(1, 1), Int32Array.of(0, 1));
    queue.push(0);
    queue.push(0);
    expect(queue.size).toBe(1);
    expect(queue.has(0)).toBe(true);
    expect(queue.has(1)).toBe(false);
    expect(queue.peek()).toBe(0);
    expect(queue.pop()).toBe(0);
    expect(queue.pop()).toBe(-1);
  });
});
