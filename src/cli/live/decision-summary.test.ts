import { describe, expect, it } from 'vitest';
import { summarizeDecision, truncate, headline } from './decision-summary.js';

// Decisions shaped as the strategies record them (trimmed copies from a demo run).
const bid = (agent: string, effective: number) => ({ agent, cost: 2, confidence: 0.9, effective });

describe('summarizeDecision', () => {
  it('direct: names the best-matched agent and its score', () => {
    expect(summarizeDecision('direct', { strategy: 'direct', agent: 'researcher', score: 1.4086 })).toBe('direct: best match researcher (score 1.41)');
  });

  it('auction: says who won with which bid, and whom it beat at what price', () => {
    const decision = {
      strategy: 'auction',
      bids: [bid('researcher', 4.44), bid('planner', 13.09), bid('reviewer', 13.09)],
      sold: true,
      winner: 'researcher',
      winningBid: 4.444444,
      price: 13.090909,
      runnerUp: 'planner',
      assigned: 'researcher',
    };
    expect(summarizeDecision('auction', decision)).toBe('auction (3 bids): researcher 4.44 beat planner 13.09');
    expect(summarizeDecision('auction', { ...decision, bids: [bid('researcher', 4.44)], price: undefined, runnerUp: undefined })).toBe(
      'auction (1 bid): researcher won with 4.44',
    );
    expect(summarizeDecision('auction', { strategy: 'auction', outcome: 'no-sale' })).toBe('auction: no sale');
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
