import { describe, expect, it } from 'vitest';
import { summarizeDecision, truncate, headline } from './decision-summary.js';

// Decisions shaped as the strategies record them (trimmed copies from a demo run).
const bid = (agent: string, cost: number, confidence: number) => ({ agent, cost, confidence, ask: cost / confidence, effective: cost / confidence / 0.5 });

describe('summarizeDecision', () => {
  it('direct: names the best-matched agent and its score', () => {
    expect(summarizeDecision('direct', { strategy: 'direct', agent: 'researcher', score: 1.4086 })).toBe('direct: best match researcher (score 1.41)');
  });

  it('auction: labels the winner\'s bid, the runner-up\'s bid and the price paid, each in cost units', () => {
    // Bids show their ask for the task done in full (cost ÷ confidence): what the clearing compares.
    const decision = {
      strategy: 'auction',
      bids: [bid('ada', 2, 0.9), bid('bob', 3.6, 0.55), bid('cy', 3.6, 0.55)],
      sold: true,
      winner: 'ada',
      winningBid: 4.444444,
      price: 6.545454,
      runnerUp: 'bob',
      assigned: 'ada',
      payment: { rule: 'performance', price: 6.545454, quality: 1, paid: 6.545454 },
    };
    expect(summarizeDecision('auction', decision, 80)).toBe('auction (3 bids): ada bid 2.22, runner-up bob bid 6.55, paid 6.55');
    // Paid by quality under performance pay; the price alone before the work is graded.
    expect(summarizeDecision('auction', { ...decision, payment: { ...decision.payment, quality: 0.5, paid: 3.272727 } })).toMatch(/, paid 3\.27$/);
    expect(summarizeDecision('auction', { ...decision, payment: { ...decision.payment, quality: null, paid: null } })).toMatch(/, price 6\.55$/);
    expect(summarizeDecision('auction', { ...decision, bids: [bid('ada', 2, 0.9)], price: 10, runnerUp: undefined, payment: { paid: 10 } })).toBe(
      'auction (1 bid): ada bid 2.22, paid 10.00',
    );
    expect(summarizeDecision('auction', { strategy: 'auction', outcome: 'no-sale' })).toBe('auction: no sale');
  });

  it('auction: keeps the three labelled figures within the run tree\'s 60 columns when names are long', () => {
    const decision = {
      strategy: 'auction',
      bids: [bid('researcher', 2, 0.9), bid('planner', 3.6, 0.55)],
      winner: 'researcher',
      runnerUp: 'planner',
      price: 6.545454,
      payment: { paid: 6.545454 },
    };
    const line = summarizeDecision('auction', decision);
    expect(line).toBe('auction: researcher bid 2.22, runner-up 6.55, paid 6.55');
    expect(line.length).toBeLessThanOrEqual(60);
    expect(summarizeDecision('auction', decision, 80)).toBe('auction (2 bids): researcher bid 2.22, runner-up planner bid 6.55, paid 6.55');
  });

  it('consensus: counts the votes for the winning option in the last round, and names its author', () => {
    const ballots = (options: string[]) => options.map((option, i) => ({ agent: `a${i}`, option }));
    const decision = {
      strategy: 'consensus',
      consensus: true,
      voters: [{ agent: 'a0' }, { agent: 'a1' }, { agent: 'a2' }],
      rounds: [{ round: 0, ballots: ballots(['A', 'B', 'B']) }, { round: 1, ballots: ballots(['A', 'A', 'B']) }],
      winner: 'A',
      author: 'researcher',
    };
    expect(summarizeDecision('consensus', decision)).toBe('consensus: 2 of 3 voters for A (quorum), by researcher');
    expect(summarizeDecision('consensus', { ...decision, consensus: false })).toContain('(no quorum)');
  });

  it('hierarchical: names the leader and every worker in the delegation tree', () => {
    const tree = {
      agent: 'analyst',
      role: 'leader',
      children: [
        { agent: 'planner', role: 'worker', children: [{ agent: 'writer', role: 'worker' }] },
        { agent: 'critic', role: 'worker' },
      ],
    };
    expect(summarizeDecision('hierarchical', { strategy: 'hierarchical', leader: 'analyst', tree })).toBe(
      'hierarchical: leader analyst, workers planner, writer, critic',
    );
    expect(summarizeDecision('hierarchical', { strategy: 'hierarchical', leader: 'analyst', tree: { agent: 'analyst' } })).toBe(
      'hierarchical: leader analyst, no workers',
    );
  });

  it('stigmergy: names the pick and the probability the trail gave it', () => {
    const decision = { strategy: 'stigmergy', probabilities: { researcher: 0.9314, coder: 0.0069 }, pick: 'coder' };
    expect(summarizeDecision('stigmergy', decision)).toBe('stigmergy: trail picked coder (p=0.01)');
  });

  it('reports a failed decision, and falls back to the strategy name for shapes it does not know', () => {
    expect(summarizeDecision('auction', { error: 'every bid was invalid' })).toBe('auction: failed (every bid was invalid)');
    expect(summarizeDecision('my-strategy', { anything: 1 })).toBe('my-strategy');
    expect(summarizeDecision('direct', null)).toBe('direct: best match ?');
  });
});

describe('truncate', () => {
  it('flattens whitespace and cuts with an ellipsis', () => {
    expect(truncate('a\n  b   c', 10)).toBe('a b c');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
  });
});

describe('headline', () => {
  it('shows a sub-run goal by its first line (the task title), not title and instructions run together', () => {
    expect(headline('Plan first-year funding\n\nWork out what the library costs to run.')).toBe('Plan first-year funding');
    expect(headline('\n  One-line goal  ')).toBe('One-line goal');
  });
});
