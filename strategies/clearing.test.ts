import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_RECORD } from './reputation.js';
import { clearAuction, effectiveBid, reputationWeight, settlePayment, type PaymentRule } from './clearing.js';

describe('clearAuction', () => {
  it('awards the lowest bid and pays it the second-lowest (Vickrey)', () => {
    const result = clearAuction([{ agent: 'a', cost: 5 }, { agent: 'b', cost: 3 }, { agent: 'c', cost: 4 }]);
    expect(result).toMatchObject({ sold: true, winner: 'b', winningBid: 3, price: 4, runnerUp: 'c', payment: 'performance' });
    expect(result.ranked.map((r) => r.agent)).toEqual(['b', 'c', 'a']);
  });

  it('ranks by the ask for the task done in full (cost / confidence) divided by the reputation weight', () => {
    // a: 2 / 1 / 0.5 = 4; b: 3 / 1 / 1 = 3; c: 2.4 / 0.6 / 1 = 4.
    const result = clearAuction([
      { agent: 'a', cost: 2, weight: 0.5 },
      { agent: 'b', cost: 3 },
      { agent: 'c', cost: 2.4, confidence: 0.6 },
    ]);
    expect(result.winner).toBe('b');
    expect(result.threshold).toBeCloseTo(4);
    expect(result.price).toBeCloseTo(4);
    expect(result.ranked.find((r) => r.agent === 'c')).toMatchObject({ ask: expect.closeTo(4, 9), effective: expect.closeTo(4, 9) });
    expect(effectiveBid({ agent: 'c', cost: 2.4, confidence: 0.6 })).toBeCloseTo(4);
  });

  it('ignores claimed confidence under fixed pay, where it cannot be checked', () => {
    const bids = [
      { agent: 'sure', cost: 4, confidence: 1 },
      { agent: 'unsure', cost: 3, confidence: 0.5 },
    ];
    expect(clearAuction(bids).winner).toBe('sure'); // 4 against 3 / 0.5 = 6
    expect(clearAuction(bids, { payment: 'fixed' })).toMatchObject({ winner: 'unsure', price: 4, payment: 'fixed' });
    expect(effectiveBid(bids[1]!, 'fixed')).toBe(3);
  });

  it('pays the runner-up\'s effective bid in the winner\'s cost units, per task done in full', () => {
    // fast: 3 / 0.9 / 0.8 = 4.1667 wins; careful: 4 / 1 / 0.95 = 4.2105; fast is paid 4.2105 × 0.8 = 3.3684 for a full success.
    const result = clearAuction([
      { agent: 'fast', cost: 3, confidence: 0.9, weight: 0.8 },
      { agent: 'careful', cost: 4, confidence: 1, weight: 0.95 },
    ]);
    expect(result).toMatchObject({ winner: 'fast', runnerUp: 'careful' });
    expect(result.threshold).toBeCloseTo(4 / 0.95, 9);
    expect(result.price).toBeCloseTo((4 / 0.95) * 0.8, 9);
    // Performance pay: by quality; fixed pay: the price.
    expect(settlePayment(result.price!, 0.5)).toBeCloseTo((4 / 0.95) * 0.4, 9);
    expect(settlePayment(4, 0.5, 'fixed')).toBe(4);
    expect(() => settlePayment(4, 1.5)).toThrow(/quality must be in \[0, 1\]/);
  });

  it('compares the reserve with the ask in cost units, whatever the reputation: an ask of 3 sells under a reserve of 5', () => {
    // A new agent (weight 0.5) asking 3 with confidence 0.9: its ask per full success is 3.33, under 5.
    const fresh = clearAuction([{ agent: 'new', cost: 3, confidence: 0.9, weight: 0.5 }], { reserve: 5 });
    expect(fresh).toMatchObject({ sold: true, winner: 'new', price: 5 });
    // Under performance pay an ask of 3 with confidence 0.5 needs 6 per success: over the reserve.
    expect(clearAuction([{ agent: 'new', cost: 3, confidence: 0.5 }], { reserve: 5 }).sold).toBe(false);
    expect(clearAuction([{ agent: 'new', cost: 3, confidence: 0.5 }], { reserve: 5, payment: 'fixed' }).sold).toBe(true);
  });

  it('never pays more than the reserve, however trusted the winner', () => {
    // A strong agent (weight 1.6) alone: paid the reserve, not reserve × weight.
    expect(clearAuction([{ agent: 'star', cost: 2, weight: 1.6 }], { reserve: 5 })).toMatchObject({ price: 5, threshold: 5 / 1.6 });
    const duel = clearAuction([{ agent: 'star', cost: 2, weight: 1.6 }, { agent: 'b', cost: 4.9, weight: 0.5 }], { reserve: 5 });
    expect(duel).toMatchObject({ winner: 'star', runnerUp: 'b', price: 5 });
  });

  it('pays a lone bidder the reserve, or its own ask when there is no reserve', () => {
    expect(clearAuction([{ agent: 'a', cost: 3 }], { reserve: 10 })).toMatchObject({ winner: 'a', price: 10, runnerUp: undefined });
    expect(clearAuction([{ agent: 'a', cost: 3 }])).toMatchObject({ winner: 'a', price: 3 });
    expect(clearAuction([{ agent: 'a', cost: 3, weight: 0.5, confidence: 0.8 }])).toMatchObject({ threshold: 7.5, price: 3.75 });
  });

  it('makes no sale when no ask is at or under the reserve, and ranks bids within it first', () => {
    const result = clearAuction([{ agent: 'a', cost: 6 }, { agent: 'b', cost: 7 }], { reserve: 5 });
    expect(result).toMatchObject({ sold: false, winner: undefined, price: undefined, reserve: 5 });
    expect(result.ranked.map((r) => r.withinReserve)).toEqual([false, false]);
    expect(clearAuction([], { reserve: 5 }).sold).toBe(false);
    // A trusted bidder over the reserve cannot win, even with the lowest effective bid, nor set the price.
    const mixed = clearAuction([{ agent: 'over', cost: 6, weight: 3 }, { agent: 'within', cost: 4 }, { agent: 'also', cost: 4.5 }], { reserve: 5 });
    expect(mixed).toMatchObject({ winner: 'within', runnerUp: 'also', price: 4.5 });
    expect(mixed.ranked.map((r) => r.agent)).toEqual(['within', 'also', 'over']);
  });

  it('caps the price at the reserve when the runner-up asked more', () => {
    expect(clearAuction([{ agent: 'a', cost: 4 }, { agent: 'b', cost: 9 }], { reserve: 5 })).toMatchObject({ winner: 'a', price: 5 });
    expect(clearAuction([{ agent: 'a', cost: 5 }], { reserve: 5 })).toMatchObject({ sold: true, price: 5 });
  });

  it('breaks ties by higher weight, then higher confidence, then bid order, and pays the tied bid', () => {
    expect(clearAuction([{ agent: 'a', cost: 2, weight: 0.5 }, { agent: 'b', cost: 4, weight: 1 }])).toMatchObject({ winner: 'b', price: 4 });
    expect(clearAuction([{ agent: 'a', cost: 1, confidence: 0.5 }, { agent: 'b', cost: 2, confidence: 1 }]).winner).toBe('b');
    expect(clearAuction([{ agent: 'x', cost: 3 }, { agent: 'y', cost: 3 }])).toMatchObject({ winner: 'x', price: 3, runnerUp: 'y' });
  });

  it('rejects bad bids, a negative reserve and an unknown payment rule, naming them', () => {
    expect(() => clearAuction([{ agent: 'a', cost: -1 }])).toThrow(/bid of "a" has cost -1/);
    expect(() => clearAuction([{ agent: 'a', cost: 1, confidence: 0 }])).toThrow(/confidence 0/);
    expect(() => clearAuction([{ agent: 'a', cost: 1, weight: 0 }])).toThrow(/weight 0/);
    expect(() => clearAuction([{ agent: 'a', cost: 1 }, { agent: 'a', cost: 2 }])).toThrow(/"a" bid more than once/);
    expect(() => clearAuction([], { reserve: -1 })).toThrow(/reserve/);
    expect(() => clearAuction([], { payment: 'flat' as never })).toThrow(/payment must be/);
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
  const payment = fc.constantFrom<PaymentRule>('performance', 'fixed');
  const options = (r: number | undefined, rule: PaymentRule) => ({ ...(r === undefined ? {} : { reserve: r }), payment: rule });

  it('property: the winner\'s price covers its ask and never exceeds the reserve', () => {
    fc.assert(
      fc.property(bids, reserve, payment, (list, r, rule) => {
        const result = clearAuction(list, options(r, rule));
        if (!result.sold) return;
        const winner = result.ranked[0]!;
        expect(result.price! + 1e-9 * (1 + winner.ask)).toBeGreaterThanOrEqual(winner.ask);
        expect(result.threshold! + 1e-12).toBeGreaterThanOrEqual(result.winningBid!);
        if (r !== undefined) expect(result.price!).toBeLessThanOrEqual(r * (1 + 1e-12));
      }),
      { seed: 11 },
    );
  });

  it('property: it sells exactly when some ask is within the reserve, to the lowest effective bid among those', () => {
    fc.assert(
      fc.property(bids, reserve, payment, (list, r, rule) => {
        const result = clearAuction(list, options(r, rule));
        const within = list.filter((b) => (rule === 'performance' ? b.cost / b.confidence : b.cost) <= (r ?? Number.POSITIVE_INFINITY));
        expect(result.sold).toBe(within.length > 0);
        if (result.sold) expect(result.winningBid).toBe(Math.min(...within.map((b) => effectiveBid(b, rule))));
      }),
      { seed: 12 },
    );
  });

  // A bidder whose true cost is `cost` and who succeeds with probability `rate`; under performance pay
  // it is paid price × quality, quality 1 with probability `rate`, so its expected profit on winning is
  // price × rate − cost; under fixed pay, price − cost. Deviations: any ask, any confidence.
  const bidder = fc.record({
    cost: fc.double({ min: 0.01, max: 50, noNaN: true }),
    rate: fc.double({ min: 0.01, max: 1, noNaN: true }),
    weight: fc.double({ min: 0.05, max: 2, noNaN: true }),
  });
  const deviation = fc.record({ ask: fc.double({ min: 0, max: 200, noNaN: true }), confidence: fc.double({ min: 0.01, max: 1, noNaN: true }) });
  const profit = (
    me: { cost: number; rate: number; weight: number },
    others: readonly { agent: string; cost: number; confidence: number; weight: number }[],
    r: number | undefined,
    rule: PaymentRule,
    bid: { ask: number; confidence: number },
  ) => {
    const result = clearAuction([{ agent: '\u0000me', cost: bid.ask, confidence: bid.confidence, weight: me.weight }, ...others], options(r, rule));
    if (result.winner !== '\u0000me') return 0;
    return me.rate * settlePayment(result.price!, 1, rule) + (1 - me.rate) * settlePayment(result.price!, 0, rule) - me.cost;
  };

  for (const rule of ['performance', 'fixed'] as const)
    for (const withReputation of [false, true])
      it(`property: bidding one's true cost and true confidence is a best response (${rule} pay, ${withReputation ? 'with' : 'without'} reputation weights)`, () => {
        fc.assert(
          fc.property(bidder, bids, reserve, fc.array(deviation, { minLength: 1, maxLength: 20 }), (me, list, r, tries) => {
            const strip = (w: number) => (withReputation ? w : 1);
            const others = list.map((b) => ({ ...b, weight: strip(b.weight) }));
            const self = { ...me, weight: strip(me.weight) };
            // A lone bidder with no reserve faces no competition: it can ask anything (no auction helps there).
            if (others.length === 0 && r === undefined) return;
            const truthful = profit(self, others, r, rule, { ask: me.cost, confidence: me.rate });
            expect(truthful).toBeGreaterThanOrEqual(-1e-9 * (1 + me.cost));
            // Random deviations, and the tempting ones: confidence 1, the cost scaled to cost / rate.
            const tempting = [
              { ask: me.cost, confidence: 1 },
              { ask: me.cost / me.rate, confidence: 1 },
              { ask: me.cost * 0.5, confidence: me.rate },
              { ask: me.cost * 2, confidence: me.rate },
            ];
            for (const bid of [...tries, ...tempting]) {
              expect(profit(self, others, r, rule, bid)).toBeLessThanOrEqual(truthful + 1e-9 * (1 + bid.ask + me.cost / me.rate));
            }
          }),
          { seed: rule === 'performance' ? (withReputation ? 21 : 22) : withReputation ? 23 : 24, numRuns: 300 },
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
