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
    expect(result.threshold).toBeCloseTo(4);
    expect(result.price).toBeCloseTo(4);
    expect(effectiveBid({ agent: 'c', cost: 2.4, confidence: 0.6 })).toBeCloseTo(4);
  });

  it('pays a lone bidder the reserve, or its own bid when there is no reserve', () => {
    expect(clearAuction([{ agent: 'a', cost: 3 }], { reserve: 10 })).toMatchObject({ winner: 'a', price: 10, runnerUp: undefined });
    expect(clearAuction([{ agent: 'a', cost: 3 }])).toMatchObject({ winner: 'a', price: 3 });
    // The reserve bounds effective bids: 3 / (0.5 × 0.8) = 7.5 <= 10, paid 10 × 0.5 × 0.8 = 4 in cost units.
    expect(clearAuction([{ agent: 'a', cost: 3, weight: 0.5, confidence: 0.8 }], { reserve: 10 })).toMatchObject({ threshold: 10, price: 4 });
    expect(clearAuction([{ agent: 'a', cost: 3, weight: 0.5, confidence: 0.8 }])).toMatchObject({ threshold: 7.5, price: 3 });
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

  it('pays the runner-up\'s effective bid in the winner\'s cost units', () => {
    // fast: 3 / (0.8 × 0.9) = 4.1667 wins; careful: 4 / 0.95 = 4.2105; fast is paid 4.2105 × 0.72 = 3.0316.
    const result = clearAuction([
      { agent: 'fast', cost: 3, confidence: 0.9, weight: 0.8 },
      { agent: 'careful', cost: 4, confidence: 1, weight: 0.95 },
    ]);
    expect(result).toMatchObject({ winner: 'fast', runnerUp: 'careful' });
    expect(result.threshold).toBeCloseTo(4 / 0.95, 9);
    expect(result.price).toBeCloseTo((4 / 0.95) * 0.72, 9);
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

  it('property: the winner is paid at least its cost, and its threshold is at least its bid and at most the reserve', () => {
    fc.assert(
      fc.property(bids, reserve, (list, r) => {
        const result = clearAuction(list, r === undefined ? {} : { reserve: r });
        if (!result.sold) return;
        const winner = result.ranked[0]!;
        expect(result.price! + 1e-9 * (1 + winner.cost)).toBeGreaterThanOrEqual(winner.cost);
        expect(result.threshold!).toBeGreaterThanOrEqual(result.winningBid!);
        if (r !== undefined) expect(result.threshold!).toBeLessThanOrEqual(r);
      }),
    );
  });

  it('property: asking one\'s true cost is a best response (no other ask earns more)', () => {
    // Utility of bidder 0 asking `ask` when its true cost is `cost`: price - cost if it wins, else 0.
    const utility = (list: readonly { agent: string; cost: number; confidence: number; weight: number }[], r: number | undefined, ask: number) => {
      const result = clearAuction([{ ...list[0]!, cost: ask }, ...list.slice(1)], r === undefined ? {} : { reserve: r });
      return result.winner === list[0]!.agent ? result.price! - list[0]!.cost : 0;
    };
    fc.assert(
      fc.property(bids, reserve, fc.double({ min: 0, max: 200, noNaN: true }), (list, r, ask) => {
        // A lone bidder with no reserve faces no competition: it can ask anything (no auction helps there).
        if (list.length === 0 || (list.length === 1 && r === undefined)) return;
        const truthful = utility(list, r, list[0]!.cost);
        expect(truthful).toBeGreaterThanOrEqual(-1e-9);
        expect(utility(list, r, ask)).toBeLessThanOrEqual(truthful + 1e-9 * (1 + ask));
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
