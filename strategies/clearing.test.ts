import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_RECORD } from './reputation.js';
import { clearAuction, effectiveBid, reputationWeight } from './clearing.js';

describe('clearAuction', () => {
  it('awards the lowest bid and pays it the second-lowest (Vickrey)', () => {
    const result = clearAuction([{ agent: 'a', cost: 5 }, { agent: 'b', cost: 3 }, { agent: 'c', cost: 4 }]);
    expect(result).toMatchObject({ sold: true, winner: 'b', winningBid: 3, price: 4, runnerUp: 'c' });
    expect(result.ranked.map((r) => r.agent)).toEqual(['b', 'c', 'a']);
  });

  it('ranks by cost divided by reputation weight and confidence', () => {
    // a: 2 / (0.5 × 1) = 4; b: 3 / (1 × 1) = 3; c: 2.4 / (1 × 0.6) = 4.
    const result = clearAuction([
      { agent: 'a', cost: 2, weight: 0.5 },
      { agent: 'b', cost: 3 },
      { agent: 'c', cost: 2.4, confidence: 0.6 },
    ]);
    expect(result.winner).toBe('b');
    expect(result.price).toBeCloseTo(4);
    expect(effectiveBid({ agent: 'c', cost: 2.4, confidence: 0.6 })).toBeCloseTo(4);
  });

  it('pays a lone bidder the reserve, or its own bid when there is no reserve', () => {
    expect(clearAuction([{ agent: 'a', cost: 3 }], { reserve: 10 })).toMatchObject({ winner: 'a', price: 10, runnerUp: undefined });
    expect(clearAuction([{ agent: 'a', cost: 3 }])).toMatchObject({ winner: 'a', price: 3 });
  });

  it('makes no sale when no bid is at or under the reserve', () => {
    const result = clearAuction([{ agent: 'a', cost: 6 }, { agent: 'b', cost: 7 }], { reserve: 5 });
    expect(result).toMatchObject({ sold: false, winner: undefined, price: undefined, reserve: 5 });
    expect(result.ranked[0]!.effective).toBe(6);
    expect(clearAuction([], { reserve: 5 }).sold).toBe(false);
  });

  it('caps the price at the reserve when the runner-up bid above it', () => {
    expect(clearAuction([{ agent: 'a', cost: 4 }, { agent: 'b', cost: 9 }], { reserve: 5 })).toMatchObject({ winner: 'a', price: 5 });
    expect(clearAuction([{ agent: 'a', cost: 5 }], { reserve: 5 })).toMatchObject({ sold: true, price: 5 });
  });

  it('breaks ties by higher weight, then higher confidence, then bid order, and pays the tied bid', () => {
    expect(clearAuction([{ agent: 'a', cost: 2, weight: 0.5 }, { agent: 'b', cost: 4, weight: 1 }])).toMatchObject({ winner: 'b', price: 4 });
    expect(clearAuction([{ agent: 'a', cost: 1, confidence: 0.5 }, { agent: 'b', cost: 2, confidence: 1 }]).winner).toBe('b');
    expect(clearAuction([{ agent: 'x', cost: 3 }, { agent: 'y', cost: 3 }])).toMatchObject({ winner: 'x', price: 3, runnerUp: 'y' });
  });

  it('rejects bad bids and a negative reserve, naming the agent', () => {
    expect(() => clearAuction([{ agent: 'a', cost: -1 }])).toThrow(/bid of "a" has cost -1/);
    expect(() => clearAuction([{ agent: 'a', cost: 1, confidence: 0 }])).toThrow(/confidence 0/);
    expect(() => clearAuction([{ agent: 'a', cost: 1, weight: 0 }])).toThrow(/weight 0/);
    expect(() => clearAuction([{ agent: 'a', cost: 1 }, { agent: 'a', cost: 2 }])).toThrow(/"a" bid more than once/);
    expect(() => clearAuction([], { reserve: -1 })).toThrow(/reserve/);
  });

  const bids = fc.uniqueArray(
    fc.record({
      agent: fc.string({ minLength: 1, maxLength: 3 }),
      cost: fc.double({ min: 0, max: 100, noNaN: true }),
      confidence: fc.double({ min: 0.01, max: 1, noNaN: true }),
      weight: fc.double({ min: 0.01, max: 2, noNaN: true }),
    }),
    { selector: (b) => b.agent, maxLength: 8 },
  );
  const reserve = fc.option(fc.double({ min: 0, max: 5000, noNaN: true }), { nil: undefined });

  it('property: the clearing price is at least the winning bid and at most the reserve', () => {
    fc.assert(
      fc.property(bids, reserve, (list, r) => {
        const result = clearAuction(list, r === undefined ? {} : { reserve: r });
        if (!result.sold) return;
        expect(result.price!).toBeGreaterThanOrEqual(result.winningBid!);
        if (r !== undefined) expect(result.price!).toBeLessThanOrEqual(r);
      }),
    );
  });

  it('property: it sells exactly when the lowest effective bid is within the reserve, to that bidder', () => {
    fc.assert(
      fc.property(bids, reserve, (list, r) => {
        const result = clearAuction(list, r === undefined ? {} : { reserve: r });
        const lowest = Math.min(...list.map(effectiveBid));
        expect(result.sold).toBe(list.length > 0 && lowest <= (r ?? Number.POSITIVE_INFINITY));
        if (result.sold) expect(result.winningBid).toBe(lowest);
      }),
    );
  });
});

describe('reputationWeight', () => {
  it('is the Laplace mean plus an exploration bonus that shrinks with the record', () => {
    expect(reputationWeight(NO_RECORD, 0, 0.5)).toBe(0.5);
    expect(reputationWeight({ successes: 9, failures: 1 }, 10, 0)).toBeCloseTo(10 / 12);
    const fresh = reputationWeight(NO_RECORD, 100, 0.5);
    const known = reputationWeight({ successes: 25, failures: 25 }, 100, 0.5);
    expect(fresh).toBeCloseTo(0.5 + 0.5 * Math.sqrt(Math.log(101)));
    expect(known).toBeLessThan(fresh);
  });
});
