import { describe, expect, it } from 'vitest';
import { memoryStore } from '../src/store/memory-store.js';
import { auction } from './auction.js';
import { AuctionNoSaleError } from './errors.js';
import { reputationStore } from './reputation.js';
import { agentOf, callKind, lastPrompt, testAgent, testContext, testRuntime, testTask, decisionOf } from './test-support.js';

const team = [testAgent('fast', ['code']), testAgent('careful', ['code']), testAgent('cheap', ['code'])];
const task = testTask({ capabilities: ['code'], effort: 2, title: 'Fix bug', instructions: 'Fix the off-by-one bug.' });
const bids: Record<string, { cost: number; confidence: number }> = {
  fast: { cost: 3, confidence: 0.9 },
  careful: { cost: 4, confidence: 1 },
  cheap: { cost: 2, confidence: 0.5 },
};
const bidReply = (own: Record<string, { cost: number; confidence: number }>) => (r: Parameters<typeof agentOf>[0]) =>
  callKind(r) === 'bid' ? JSON.stringify({ ...own[agentOf(r)!]!, rationale: 'estimate' }) : `${agentOf(r)} fixed it`;

describe('auction', () => {
  it('asks each capable agent for a sealed bid and gives the task to the lowest effective bid at the second price', async () => {
    const { runtime, model, events } = testRuntime({ agents: team, reply: bidReply(bids) });
    const result = await auction().coordinate(testContext(runtime, task));
    // Asks for the task done in full: fast 3/0.9 = 3.33, careful 4, cheap 2/0.5 = 4; effective (no record:
    // weight 0.5) 6.67, 8, 8 — careful ranks before cheap on its higher confidence.
    expect(result.output).toBe('fast fixed it');
    // fast is paid the highest ask with which it would still have won: 8 × 0.5 = 4 for a full success.
    expect(result.decision).toMatchObject({ strategy: 'auction', paymentRule: 'performance', sold: true, winner: 'fast', runnerUp: 'careful', threshold: 8 });
    expect(decisionOf<{ price: number }>(result).price).toBeCloseTo(4, 9);
    expect(decisionOf<{ winningBid: number }>(result).winningBid).toBeCloseTo(6.667, 2);
    expect(lastPrompt(model.requests.find((r) => callKind(r) === 'bid')!)).toContain('2 effort unit(s)');
    expect(events.filter((e) => e.type === 'strategy.decision')).toHaveLength(1);
    // Performance-based payment: the default check (finished with an answer) pays in full and builds reputation.
    expect(result.decision).toMatchObject({ payment: { rule: 'performance', price: expect.closeTo(4, 9), quality: 1, paid: expect.closeTo(4, 9) } });
    expect(reputationStore(runtime.store).get('fast', ['code'])).toEqual({ successes: 1, failures: 0 });
  });

  it('weighs later bids by the reputation earned, so a cheap bidder that fails stops winning', async () => {
    const store = memoryStore();
    for (let i = 0; i < 10; i++) reputationStore(store).record('cheap', ['code'], false);
    for (let i = 0; i < 10; i++) reputationStore(store).record('careful', ['code'], true);
    const { runtime } = testRuntime({ agents: team, store, reply: bidReply({ ...bids, cheap: { cost: 1, confidence: 1 } }) });
    const result = await auction({ exploration: 0 }).coordinate(testContext(runtime, task));
    expect(result.decision).toMatchObject({ winner: 'careful' });
  });

  it('with a single bidder, pays it the reserve (in cost units, whatever its reputation weight)', async () => {
    const { runtime } = testRuntime({ agents: [team[0]!], reply: bidReply(bids) });
    const result = await auction({ reserve: 10, exploration: 0 }).coordinate(testContext(runtime, task));
    expect(result.decision).toMatchObject({ winner: 'fast', reserve: 10, threshold: 20, price: 10, runnerUp: null });
  });

  it('sells to a new agent asking 3 under a reserve of 5: the reserve is compared with the ask, not the reputation-weighted bid', async () => {
    const { runtime } = testRuntime({ agents: [team[0]!], reply: bidReply({ fast: { cost: 3, confidence: 0.9 } }) });
    const result = await auction({ reserve: 5 }).coordinate(testContext(runtime, task));
    expect(result.decision).toMatchObject({ sold: true, winner: 'fast', price: 5, bids: [{ agent: 'fast', ask: expect.closeTo(3.333, 3), withinReserve: true }] });
  });

  it('makes no sale when every ask is over the reserve: fails by default, or gives the task to the best match', async () => {
    const { runtime, model } = testRuntime({ agents: team, reply: bidReply(bids) });
    const failing = auction({ reserve: 3 }).coordinate(testContext(runtime, task));
    await expect(failing).rejects.toThrow(AuctionNoSaleError);
    await expect(auction({ reserve: 3 }).coordinate(testContext(runtime, task))).rejects.toThrow(/no bid at or under the reserve price 3 \(lowest ask 3\.3333\)/);
    expect(model.requests.filter((r) => callKind(r) === 'run')).toHaveLength(0);

    const fallback = await auction({ reserve: 3, onNoSale: 'best-match' }).coordinate(testContext(runtime, task));
    expect(fallback.output).toBe('fast fixed it');
    expect(fallback.decision).toMatchObject({ sold: false, fallback: 'best-match', assigned: 'fast', payment: null });
  });

  it('bids without model calls with the deterministic bidder', async () => {
    const agents = [testAgent('partial', ['code']), testAgent('full', ['code', 'tests'])];
    const { runtime, model } = testRuntime({ agents, reply: (r) => `${agentOf(r)} done` });
    const result = await auction({ bidder: 'deterministic' }).coordinate(testContext(runtime, testTask({ capabilities: ['code', 'tests'], effort: 2 })));
    // full: cost 2 × (2 − 1) = 2, confidence 1; partial: cost 2 × 1.5 = 3, confidence 0.75.
    expect(result.decision).toMatchObject({ winner: 'full' });
    expect(model.requests.every((r) => callKind(r) === 'run')).toBe(true);
  });

  it('drops an invalid bid, records why, and still clears', async () => {
    const { runtime } = testRuntime({ agents: team, reply: bidReply({ ...bids, fast: { cost: -3, confidence: 0.9 } }) });
    const result = await auction().coordinate(testContext(runtime, task));
    expect(result.decision).toMatchObject({ winner: 'careful', invalidBids: [{ agent: 'fast' }] });
  });

  it('grades the output with a pluggable assess function and pays by quality', async () => {
    const { runtime } = testRuntime({ agents: team, reply: bidReply(bids) });
    const result = await auction({ assess: ({ output }) => (output.includes('fixed') ? 0.5 : 0) }).coordinate(testContext(runtime, task));
    expect(result.decision).toMatchObject({ payment: { price: expect.closeTo(4, 9), quality: 0.5, paid: expect.closeTo(2, 9) } });
    expect(reputationStore(runtime.store).get('fast', ['code'])).toEqual({ successes: 0.5, failures: 0.5 });
  });

  it('with fixed pay, pays the price whatever the grade and ignores the confidence it cannot check', async () => {
    const { runtime } = testRuntime({ agents: team, reply: bidReply(bids) });
    const result = await auction({ payment: 'fixed', assess: () => 0.5 }).coordinate(testContext(runtime, task));
    // Ranked by cost / weight: cheap 2/0.5 = 4, fast 3/0.5 = 6, careful 8; cheap is paid 6 × 0.5 = 3.
    expect(result.decision).toMatchObject({ paymentRule: 'fixed', winner: 'cheap', runnerUp: 'fast', payment: { rule: 'fixed', price: 3, quality: 0.5, paid: 3 } });
    expect(() => auction({ payment: 'flat' as never })).toThrow(/option "payment" must be 'performance' or 'fixed'/);
  });

  it('grades with a judge call when assess is "judge"', async () => {
    const { runtime, model } = testRuntime({
      agents: team,
      reply: (r) => (callKind(r) === 'grade' ? JSON.stringify({ score: 0, reason: 'did not fix it' }) : bidReply(bids)(r)),
    });
    const result = await auction({ assess: 'judge' }).coordinate(testContext(runtime, task));
    expect(lastPrompt(model.requests.find((r) => callKind(r) === 'grade')!)).toContain('fast fixed it');
    expect(result.decision).toMatchObject({ assessment: { score: 0, by: 'judge', reason: 'did not fix it' } });
    expect(reputationStore(runtime.store).get('fast', ['code'])).toEqual({ successes: 0, failures: 1 });
  });

  it('counts a winner that fails against it and rethrows', async () => {
    const { runtime, events } = testRuntime({
      agents: team,
      reply: (r) => (callKind(r) === 'bid' ? bidReply(bids)(r) : { error: new Error('tool crashed') }),
    });
    await expect(auction().coordinate(testContext(runtime, task))).rejects.toThrow('tool crashed');
    expect(reputationStore(runtime.store).get('fast', ['code'])).toEqual({ successes: 0, failures: 1 });
    expect(events.find((e) => e.type === 'strategy.decision')).toMatchObject({ decision: { assigned: 'fast', error: 'tool crashed' } });
  });
});
