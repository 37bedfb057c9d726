import { describe, expect, it } from 'vitest';
import { sequentialIds, randomIds } from './ids.js';
import { randomInt, seededRandom } from './random.js';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const take = (seed: number | string) => {
      const r = seededRandom(seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(take(42)).toEqual(take(42));
    expect(take('demo')).toEqual(take('demo'));
    expect(take(42)).not.toEqual(take(43));
  });

  it('stays in [0, 1) and covers the range roughly uniformly', () => {
    const r = seededRandom(7);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      buckets[randomInt({ next: () => x }, 10)]++;
    }
    for (const count of buckets) expect(count).toBeGreaterThan(800);
  });
});

describe('ids', () => {
  it('sequential ids count per prefix', () => {
    const ids = sequentialIds();
    expect([ids.next('task'), ids.next('task'), ids.next('run')]).toEqual(['task_1', 'task_2', 'run_1']);
  });

  it('random ids are reproducible from a seeded source', () => {
    expect(randomIds(seededRandom(1)).next('run')).toBe(randomIds(seededRandom(1)).next('run'));
  });
});
