import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agreementOf,
  jaccardSimilarity,
  normalizeText,
  roundSimilarity,
  shingles,
  shingleSimilarity,
  shingleSimilarityOf,
} from './similarity.js';

const measures = {
  jaccard: jaccardSimilarity,
  'shingle (w=3)': shingleSimilarity,
  'shingle (w=1)': shingleSimilarityOf(1),
} as const;

// Texts built from a small vocabulary so that random pairs share words often enough to be interesting.
const words = fc.constantFrom('alpha', 'Beta', 'gamma', 'delta,', 'EPSILON.', 'zeta!', 'eta', 'theta');
const text = fc.oneof(fc.string(), fc.array(words, { maxLength: 12 }).map((w) => w.join(' ')));

describe.each(Object.entries(measures))('%s similarity', (_name, similarity) => {
  it('is symmetric', () => {
    fc.assert(fc.property(text, text, (a, b) => similarity(a, b) === similarity(b, a)));
  });

  it('is 1 for a text compared with itself', () => {
    fc.assert(fc.property(text, (a) => similarity(a, a) === 1));
  });

  it('stays within [0, 1]', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const value = similarity(a, b);
        return value >= 0 && value <= 1;
      }),
    );
  });

  it('ignores case, punctuation and whitespace', () => {
    fc.assert(
      fc.property(fc.array(words, { minLength: 1, maxLength: 10 }), (list) => {
        const plain = list.join(' ');
        const noisy = `  ${list.map((w) => w.toUpperCase()).join(' ,\n\t ')} ... `;
        return similarity(plain, noisy) === 1;
      }),
    );
  });

  it('is 0 for texts with no words in common', () => {
    expect(similarity('red green blue', 'one two three')).toBe(0);
  });
});

describe('normalizeText', () => {
  it('lowercases, drops punctuation and collapses whitespace', () => {
    expect(normalizeText('  Hello,   WORLD!\n(again) ')).toBe('hello world again');
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => normalizeText(normalizeText(s)) === normalizeText(s)));
  });
});

describe('jaccardSimilarity', () => {
  it('counts distinct shared words over all distinct words', () => {
    // {a, b, c} vs {b, c, d}: 2 shared of 4
    expect(jaccardSimilarity('a b c', 'b c d')).toBe(0.5);
  });

  it('ignores word order', () => {
    expect(jaccardSimilarity('one two three', 'three two one')).toBe(1);
  });

  it('treats two empty texts as identical and empty vs non-empty as unrelated', () => {
    expect(jaccardSimilarity('', ' ... ')).toBe(1);
    expect(jaccardSimilarity('', 'word')).toBe(0);
  });
});

describe('shingleSimilarity', () => {
  it('is sensitive to word order where token-set Jaccard is not', () => {
    expect(shingleSimilarity('one two three four', 'four three two one')).toBe(0);
    expect(jaccardSimilarity('one two three four', 'four three two one')).toBe(1);
  });

  it('scores a one-word edit in a long text by the shingles it touches', () => {
    const a = 'the quick brown fox jumps over the lazy dog';
    const b = 'the quick brown fox leaps over the lazy dog';
    // 7 shingles each; the edit touches 3 of them: 4 shared of 10 distinct.
    expect(shingleSimilarity(a, b)).toBeCloseTo(4 / 10);
  });

  it('keeps a text shorter than the shingle size as one shingle', () => {
    expect([...shingles('Hi there', 3)]).toEqual(['hi there']);
  });

  it('rejects a shingle size that is not a positive integer', () => {
    expect(() => shingleSimilarityOf(0)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR', message: expect.stringMatching(/positive integer, got 0/) }));
    expect(() => shingles('a b', 1.5)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR', message: expect.stringMatching(/positive integer, got 1.5/) }));
  });
});

describe('roundSimilarity', () => {
  it('matches outputs by position and lets the least similar pair decide', () => {
    expect(roundSimilarity(['a b', 'c d'], ['a b', 'c e'], jaccardSimilarity)).toBeCloseTo(1 / 3);
  });

  it('compares rounds of different sizes as whole texts', () => {
    expect(roundSimilarity(['a b'], ['a', 'b'], jaccardSimilarity)).toBe(1);
  });
});

describe('agreementOf', () => {
  it('is null for a single output', () => {
    expect(agreementOf(['only'], jaccardSimilarity)).toBeNull();
  });

  it('is the least similar pair', () => {
    expect(agreementOf(['a b', 'a b', 'a c'], jaccardSimilarity)).toBeCloseTo(1 / 3);
  });
});
