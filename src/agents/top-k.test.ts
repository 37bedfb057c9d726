import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topK } from './top-k.js';

describe('topK', () => {
  it('equals the first k of a full sort, for any input and k', () => {
    const compare = (a: [number, number], b: [number, number]) => b[0] - a[0] || a[1] - b[1];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 })), fc.integer({ min: 0, max: 30 }), (scores, k) => {
        // The second element makes every item distinct, as agent ids do.
        const items = scores.map((s, i) => [s, i] as [number, number]);
        expect(topK(items, k, compare)).toEqual([...items].sort(compare).slice(0, k));
      }),
    );
  });

  it('does not reorder its input', () => {
    const items = [3, 1, 2];
    topK(items, 2, (a, b) => a - b);
    expect(items).toEqual([3, 1, 2]);
  });
});
