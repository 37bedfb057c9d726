import { describe, expect, it } from 'vitest';
import { expectedProfit, expectedProfitBefore, gainsByDeviating, marketRun, randomBidder } from '../../bench/strategy-scenarios.js';
import { seededRandom } from '../../src/util/random.js';
import { mean, SEEDS } from './simulation.js';

// Agents succeeding 30%, 60% and 90% of the time, the worst asking least; 300 tasks. The figures over
// 500 seeds are in `npm run bench`.
describe('the auction hires the best value, and cannot be gamed (seeded simulation, pure rules)', () => {
  it('succeeds more often, and pays less per success, than giving each task to the lowest bid', () => {
    for (const s of SEEDS) {
      const auction = marketRun(s, 'auction', 'true');
      const lowest = marketRun(s, 'lowest-bid');
      expect({ seed: s, succeeds: auction.successLast100 > lowest.successLast100, cheaper: auction.costPerSuccess < lowest.costPerSuccess }).toEqual({
        seed: s,
        succeeds: true,
        cheaper: true,
      });
    }
  });

  it('finds the best agent through reputation alone when no bidder states its odds', () => {
    const runs = SEEDS.map((s) => marketRun(s, 'auction', 'none'));
    for (const run of runs) expect(run.bestShareLast100).toBeGreaterThan(0.5);
    expect(mean(runs.map((r) => r.bestShareLast100))).toBeGreaterThan(0.85);
  });

  it('leaves no bidder a profitable deviation from its true cost and confidence, where the old rule left many', () => {
    for (const payment of ['performance', 'fixed'] as const) {
      const random = seededRandom(payment === 'performance' ? 1 : 2);
      const bidders = Array.from({ length: 150 }, () => randomBidder(random, { payment, reputation: true }));
      expect(bidders.filter((b) => gainsByDeviating(b, expectedProfit))).toEqual([]);
      expect(bidders.filter((b) => gainsByDeviating(b, expectedProfitBefore)).length).toBeGreaterThan(15);
    }
  });
});
