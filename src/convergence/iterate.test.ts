import { describe, expect, it } from 'vitest';
import { iterateUntilConverged } from './iterate.js';

describe('iterateUntilConverged', () => {
  it('runs until a fixed point and passes each round the previous result', async () => {
    const calls: [number, string | undefined][] = [];
    // Each round appends one word until the text has four words, then repeats itself.
    const result = await iterateUntilConverged(
      async (round, previous: string | undefined) => {
        calls.push([round, previous]);
        const words = previous ? previous.split(' ') : [];
        return words.length < 4 ? [...words, `w${round}`].join(' ') : previous!;
      },
      { maxRounds: 10 },
    );
    expect(result).toMatchObject({ reason: 'stable', rounds: 5, output: 'w1 w2 w3 w4', similarity: 1 });
    expect(calls).toEqual([
      [1, undefined],
      [2, 'w1'],
      [3, 'w1 w2'],
      [4, 'w1 w2 w3'],
      [5, 'w1 w2 w3 w4'],
    ]);
    expect(result.history).toHaveLength(5);
  });

  it('stops on an oscillation and reports the round it repeated', async () => {
    const result = await iterateUntilConverged(async (round) => (round % 2 === 1 ? 'use tabs' : 'use spaces'), { maxRounds: 10 });
    expect(result).toMatchObject({ reason: 'oscillation', rounds: 3, output: 'use tabs', repeatsRound: 1 });
  });

  it('stops at maxRounds with the last result', async () => {
    const result = await iterateUntilConverged(async (round) => `idea number ${'x'.repeat(round)}`, { maxRounds: 4, threshold: 1 });
    expect(result).toMatchObject({ reason: 'max-rounds', rounds: 4, output: 'idea number xxxx' });
  });

  it('stops when participants agree', async () => {
    const votes = [
      ['approve', 'reject', 'approve'],
      ['approve', 'approve', 'Approve.'],
    ];
    const result = await iterateUntilConverged(async (round) => votes[round - 1]!, { maxRounds: 5 });
    expect(result).toMatchObject({ reason: 'agreement', rounds: 2 });
  });

  it('uses a custom similarity', async () => {
    const sameFirstWord = (a: string, b: string) => (a.split(' ')[0] === b.split(' ')[0] ? 1 : 0);
    const texts = ['Alpha one', 'Beta two', 'beta three'];
    const result = await iterateUntilConverged(async (round) => texts[round - 1]!, { maxRounds: 5, similarity: sameFirstWord });
    expect(result).toMatchObject({ reason: 'stable', rounds: 3, output: 'beta three' });
  });

  it('throws AbortedError before the next round once the signal fires', async () => {
    const controller = new AbortController();
    let rounds = 0;
    const run = iterateUntilConverged(
      async (round) => {
        rounds = round;
        if (round === 2) controller.abort();
        return `text ${round} ${'y'.repeat(round)}`;
      },
      { maxRounds: 10, signal: controller.signal },
    );
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    expect(rounds).toBe(2);
  });

  it('propagates an error thrown by a step', async () => {
    const run = iterateUntilConverged(async () => {
      throw new Error('agent failed');
    }, { maxRounds: 3 });
    await expect(run).rejects.toThrow('agent failed');
  });
});
