import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../src/errors/taskforce-error.js';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { scripted } from './helpers.js';
import { kindOf } from './script.js';

const PLANS = { bikes: [{ id: 'a' }, { id: 'b' }] };
const DRAFT = 'Merged a. [a]\n\nMerged b. [b]';

describe('orchestrate: refine (critique → revise until converged)', () => {
  it('stops at a fixed point: the critic finds nothing more to change', async () => {
    const { options, provider, events } = scripted(
      {
        plans: PLANS,
        critique: (_answer, round) => (round === 1 ? 'Part a lacks detail.' : 'NO CHANGES'),
        revise: (answer) => answer.replace('Merged a.', 'Merged a, with frame sizes.'),
      },
      { refine: { maxRounds: 5 } },
    );

    const result = await orchestrate('Write about bikes', options);

    expect(result.output).toBe('Merged a, with frame sizes. [a]\n\nMerged b. [b]');
    expect(result.tree.refine).toEqual({ rounds: 3, reason: 'stable', similarity: 1 });
    expect(result.metrics).toMatchObject({ rounds: 3, refine: { reason: 'stable' } });
    expect(provider.requests.map(kindOf).filter((k) => k === 'critic' || k === 'reviser')).toEqual(['critic', 'reviser', 'critic']);
    expect(events.filter((e) => e.type === 'convergence.round')).toHaveLength(3);
    expect(events.find((e) => e.type === 'convergence.stopped')).toMatchObject({ rounds: 3, reason: 'stable' });
    // The refine calls are the top run's own usage.
    expect(result.tree.usage.own.modelCalls).toBe(1 + 1 + 3);
  });

  it('stops on an oscillation: the answer flips back to an earlier round', async () => {
    const { options } = scripted(
      {
        plans: PLANS,
        critique: () => 'Rewrite it.',
        revise: (_answer, _critique, round) => (round % 2 === 1 ? 'Entirely other wording here. [a] [b]' : DRAFT),
      },
      { refine: { maxRounds: 6 } },
    );

    const result = await orchestrate('Write about bikes', options);

    expect(result.tree.refine).toMatchObject({ rounds: 3, reason: 'oscillation' });
    expect(result.output).toBe(DRAFT);
  });

  it('stops at max rounds when every revision is new', async () => {
    const { options, provider } = scripted(
      { plans: PLANS, critique: () => 'Rewrite it.', revise: (_a, _c, round) => `Version${round} alpha${round} beta${round}. [a] [b]` },
      { refine: { maxRounds: 3, threshold: 0.8 } },
    );

    const result = await orchestrate('Write about bikes', options);

    expect(result.tree.refine).toMatchObject({ rounds: 3, reason: 'max-rounds' });
    expect(result.output).toBe('Version2 alpha2 beta2. [a] [b]');
    expect(provider.requests.map(kindOf).filter((k) => k === 'reviser')).toHaveLength(2);
  });

  it('keeps the last finished round when a budget cuts refining short', async () => {
    // planner, a, b, synthesizer, critic → the revision would be call 6.
    const { options } = scripted(
      { plans: PLANS, critique: () => 'Rewrite it.', revise: () => 'never' },
      { refine: { maxRounds: 4 }, budgets: { maxModelCalls: 5 } },
    );

    const result = await orchestrate('Write about bikes', options);

    expect(result.output).toBe(DRAFT);
    expect(result.tree.refine).toMatchObject({ rounds: 1, reason: 'stopped' });
    expect(result.stoppedBy).toMatchObject({ kind: 'budget', budget: 'modelCalls' });
  });

  it('rejects refine together with outputSchema, before any model call', async () => {
    const { options, provider } = scripted({ plans: PLANS }, { refine: { maxRounds: 2 } });
    const error = await orchestrate('Write about bikes', { ...options, outputSchema: z.object({ a: z.string() }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/"refine" .* "outputSchema"/);
    expect(provider.calls).toBe(0);
  });

  it.each([
    [{ maxRounds: 0 }, /option "refine.maxRounds" must be a positive integer, got 0/],
    [{ maxRounds: 3, threshold: 2 }, /option "refine.threshold" must be a number in \[0, 1\], got 2/],
    [{ maxRounds: 2, minRounds: 3 }, /option "refine.minRounds"/],
    [{ maxRounds: 2, similarity: 'jaccard' }, /option "refine.similarity" must be a function/],
  ])('rejects bad refine options %o before any model call', async (refine, message) => {
    const { options, provider } = scripted({ plans: PLANS }, { refine: refine as never });
    const error = await orchestrate('Write about bikes', options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect(provider.calls).toBe(0);
  });
});
