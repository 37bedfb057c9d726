import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.js';
import { AUCTION_DEFAULTS } from '../../strategies/auction.js';
import { clearAuction, reputationWeight } from '../../strategies/clearing.js';
import { NO_RECORD, withOutcome, type OutcomeRecord } from '../../strategies/reputation.js';
import { SEEDS, succeeds, type SimAgent } from './simulation.js';

// The cheaper an agent bids here, the worse it does: only reputation can find the best one.
const AGENTS: readonly (SimAgent & { cost: number })[] = [
  { name: 'cheap', rate: 0.3, cost: 0.8 },
  { name: 'fair', rate: 0.6, cost: 0.9 },
  { name: 'best', rate: 0.9, cost: 1.0 },
];
const TASKS = 300;

function market(seedValue: number, exploration: number): Record<string, number> {
  const random = seededRandom(seedValue);
  const records = new Map<string, OutcomeRecord>(AGENTS.map((a) => [a.name, NO_RECORD]));
  const counts: Record<string, number> = Object.fromEntries(AGENTS.map((a) => [a.name, 0]));
  for (let t = 0; t < TASKS; t++) {
    const total = [...records.values()].reduce((n, r) => n + r.successes + r.failures, 0);
    // Bids vary ±10% from task to task, as estimates do.
    const clearing = clearAuction(
      AGENTS.map((a) => ({ agent: a.name, cost: a.cost * (0.9 + 0.2 * random.next()), weight: reputationWeight(records.get(a.name)!, total, exploration) })),
    );
    const winner = AGENTS.find((a) => a.name === clearing.winner)!;
    counts[winner.name]! += 1;
    records.set(winner.name, withOutcome(records.get(winner.name)!, succeeds(winner, random)));
  }
  return counts;
}

describe('auction with reputation learns to hire the best agent (seeded simulation, pure rules)', () => {
  it('with the default exploration, most work goes to the best agent in every seed, though it bids highest', () => {
    for (const s of SEEDS) {
      const counts = market(s, AUCTION_DEFAULTS.exploration);
      expect({ seed: s, majority: counts.best! > TASKS / 2 }).toEqual({ seed: s, majority: true });
    }
  });

  it('without the exploration bonus, the buyer sticks with an agent that did well enough in some seeds', () => {
    const stuck = SEEDS.filter((s) => market(s, 0).best! < TASKS / 2);
    expect(stuck.length).toBeGreaterThan(0);
  });

  it('without reputation at all, the cheapest bidder wins nearly everything', () => {
    const random = seededRandom(1);
    let cheap = 0;
    for (let t = 0; t < TASKS; t++)
      if (clearAuction(AGENTS.map((a) => ({ agent: a.name, cost: a.cost * (0.9 + 0.2 * random.next()) }))).winner === 'cheap') cheap++;
    expect(cheap).toBeGreaterThan(TASKS * 0.6);
  });
});
