import { describe, expect, it } from 'vitest';
import { UnknownStrategyError } from '../../strategies/errors.js';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { runsOf } from '../../src/orchestrate/metrics.js';
import { scripted } from './helpers.js';
import { kindOf } from './script.js';

/** Two independent tasks any agent can do, then one that builds on both. */
const PLANS = { bikes: [{ id: 'a' }, { id: 'b' }, { id: 'c', dependsOn: ['a', 'b'] }] };
/** Every agent gives the same answer to a task, so votes can agree. */
const sameAnswer = ({ title }: { title: string }) => `Answer to ${title || 'the integration'}.`;

describe('orchestrate: each strategy end to end through the scheduler', () => {
  it('direct (the default): the best-matched agent does each task once', async () => {
    const { options, provider } = scripted({ plans: PLANS });
    const result = await orchestrate('Write about bikes', options);
    expect(result.tree.tasks.map((t) => [t.id, t.status, t.decision?.strategy])).toEqual([
      ['a', 'completed', 'direct'],
      ['b', 'completed', 'direct'],
      ['c', 'completed', 'direct'],
    ]);
    expect(provider.requests.filter((r) => kindOf(r) === 'worker')).toHaveLength(3);
  });

  it('consensus: several agents answer each task and the votes are kept', async () => {
    const { options } = scripted({ plans: PLANS, work: sameAnswer }, { strategy: { name: 'consensus', k: 3, weighting: 'equal' } });
    const result = await orchestrate('Write about bikes', options);
    for (const task of result.tree.tasks) {
      expect(task.status).toBe('completed');
      expect(task.decision).toMatchObject({ strategy: 'consensus', consensus: true });
      expect(task.agents).toHaveLength(3);
      // The votes are in the tree: every agent's ballot of the first round.
      const [first] = task.decision!.rounds as { ballots: { agent: string; option: string }[] }[];
      expect(first!.ballots.map((b) => b.agent).sort()).toEqual(['ada', 'bob', 'cy']);
    }
    expect(result.metrics.agentsSpawned).toBe(9);
    expect(result.tree.tasks[2]!.output).toBe('Answer to Do c.');
  });

  it('hierarchical: a leader splits each task, subordinates work, the leader integrates', async () => {
    const { options, provider } = scripted({ plans: PLANS }, { strategy: 'hierarchical' });
    const result = await orchestrate('Write about bikes', options);
    for (const task of result.tree.tasks) {
      expect(task.status).toBe('completed');
      expect(task.decision).toMatchObject({ strategy: 'hierarchical', tree: { role: 'leader' } });
    }
    expect(provider.requests.filter((r) => r.responseFormat?.name === 'split')).toHaveLength(3);
    // Per task: two subordinates and the leader's integration.
    expect(result.metrics.agentsSpawned).toBe(9);
    expect(result.caps).toEqual([]);
  });

  it('auction: agents bid, the cheapest wins each task', async () => {
    const { options, provider } = scripted({ plans: PLANS }, { strategy: 'auction' });
    const result = await orchestrate('Write about bikes', options);
    for (const task of result.tree.tasks) {
      expect(task.status).toBe('completed');
      expect(task.decision).toMatchObject({ strategy: 'auction', assigned: 'ada', winner: 'ada' });
      expect(task.agents).toEqual(['ada']);
      // The bids are in the tree, best (lowest effective cost) first.
      expect((task.decision!.bids as { agent: string; cost: number }[]).map((b) => [b.agent, b.cost])).toEqual([
        ['ada', 1.97],
        ['bob', 1.98],
        ['cy', 1.99],
      ]);
    }
    expect(provider.requests.filter((r) => r.responseFormat?.name === 'bid')).toHaveLength(9);
    // Bids are model calls of the task, in its own usage.
    expect(result.tree.tasks[0]!.usage.own.modelCalls).toBe(3 + 1);
  });

  it('stigmergy: each task goes to a pheromone pick, and the trails are in the decision', async () => {
    const { options } = scripted({ plans: PLANS }, { strategy: 'stigmergy' });
    const result = await orchestrate('Write about bikes', options);
    for (const task of result.tree.tasks) {
      expect(task.status).toBe('completed');
      expect(task.decision).toMatchObject({ strategy: 'stigmergy' });
      expect(task.agents).toEqual([task.decision!.pick]);
      expect(Object.keys(task.decision!.pheromone as object).sort()).toEqual(['ada', 'bob', 'cy']);
      expect(Object.keys(task.decision!.probabilities as object).sort()).toEqual(['ada', 'bob', 'cy']);
    }
  });

  it('uses one strategy at every level, sub-runs included', async () => {
    const { options } = scripted(
      { plans: { L1: [{ id: 'x' }], bikes: [{ id: 'big', decomposable: true, instructions: 'Go to L1.' }] } },
      { strategy: { name: 'auction', bidder: 'deterministic' } },
    );
    const result = await orchestrate('Write about bikes', options);
    const [, sub] = runsOf(result.tree);
    expect(sub!.tasks[0]!.decision).toMatchObject({ strategy: 'auction' });
  });

  it('names the strategies it knows, direct included, for an unknown one', async () => {
    const { options } = scripted({ plans: PLANS }, { strategy: 'democracy' as never });
    const error = await orchestrate('Write about bikes', options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownStrategyError);
    expect((error as Error).message).toContain('direct');
  });
});
