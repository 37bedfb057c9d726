import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from './edit-distance.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('coder', 'coder')).toBe(0);
    expect(editDistance('codr', 'coder')).toBe(1);
    expect(editDistance('coders', 'coder')).toBe(1);
    expect(editDistance('cider', 'coder')).toBe(1);
    expect(editDistance('cdoer', 'coder')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('is symmetric and zero only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBe(editDistance(b, a));
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});

describe('closestNames', () => {
  it('returns near names best first, ties by name, and nothing for far ones', () => {
    expect(closestNames('tester', ['coder', 'testers', 'taster', 'writer'])).toEqual(['taster', 'testers']);
    expect(closestNames('xyzzy', ['coder', 'writer'])).toEqual([]);
  });
});
