import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tally, type Ballot } from './tally.js';

const b = (agent: string, option: string, weight = 1): Ballot => ({ agent, option, weight });

describe('tally', () => {
  it('gives the win to an option holding the quorum of the total weight', () => {
    const result = tally([b('a', 'yes', 3), b('b', 'no', 1), b('c', 'yes', 1)], { quorum: 0.67 });
    expect(result.totalWeight).toBe(5);
    expect(result.reached).toBe(true);
    expect(result.winner).toBe('yes');
    expect(result.options[0]).toEqual({ option: 'yes', weight: 4, share: 0.8, voters: ['a', 'c'] });
  });

  it('misses the default 0.67 quorum with two of three equal votes (2/3 < 0.67)', () => {
    const result = tally([b('a', 'x'), b('b', 'x'), b('c', 'y')]);
    expect(result.quorum).toBe(0.67);
    expect(result.options[0]!.share).toBeCloseTo(2 / 3);
    expect(result.reached).toBe(false);
    expect(result.winner).toBeUndefined();
    expect(tally([b('a', 'x'), b('b', 'x'), b('c', 'y')], { quorum: 2 / 3 }).winner).toBe('x');
  });

  it('lets one heavy expert outvote two light agents', () => {
    const result = tally([b('expert', 'A', 2.2), b('n1', 'B', 0.4), b('n2', 'B', 0.4)], { quorum: 0.67 });
    expect(result.winner).toBe('A');
    expect(result.options.map((o) => o.option)).toEqual(['A', 'B']);
  });

  it('orders tied options by number of voters, then by first ballot, and reaches no quorum on a tie', () => {
    const result = tally([b('a', 'late', 1), b('b', 'many', 0.5), b('c', 'many', 0.5), b('d', 'first', 1)], { quorum: 0.51 });
    expect(result.options.map((o) => o.option)).toEqual(['many', 'late', 'first']);
    // 'many' holds 1/3 of the weight: no quorum.
    expect(result.reached).toBe(false);
  });

  it('never names a winner in a dead heat: a quorum must be above one half', () => {
    expect(() => tally([b('a', 'x'), b('b', 'y')], { quorum: 0.5 })).toThrow(/quorum must be in \(0\.5, 1\], got 0\.5; at one half or less two options could both reach it/);
    expect(tally([b('a', 'x'), b('b', 'y')], { quorum: 0.500001 })).toMatchObject({ reached: false, winner: undefined });
  });

  it('reaches nothing when every weight is zero or there are no ballots', () => {
    expect(tally([b('a', 'x', 0), b('b', 'x', 0)]).reached).toBe(false);
    expect(tally([])).toMatchObject({ reached: false, totalWeight: 0, options: [] });
  });

  it('rejects a second ballot from one agent, bad weights and a bad quorum', () => {
    expect(() => tally([b('a', 'x'), b('a', 'y')])).toThrow(/agent "a" has more than one ballot/);
    expect(() => tally([b('a', 'x', -1)])).toThrow(/weight -1/);
    expect(() => tally([b('a', 'x', Number.NaN)])).toThrow(/weights must be finite/);
    expect(() => tally([], { quorum: 0 })).toThrow(/quorum must be in \(0\.5, 1\]/);
    expect(() => tally([], { quorum: Number.NaN })).toThrow(/got NaN/);
    expect(() => tally([], { quorum: 1.5 })).toThrow(/quorum/);
  });

  const ballots = fc
    .uniqueArray(fc.record({ agent: fc.string({ minLength: 1, maxLength: 4 }), option: fc.constantFrom('A', 'B', 'C', 'D'), weight: fc.double({ min: 0, max: 10, noNaN: true }) }), {
      selector: (x) => x.agent,
      maxLength: 12,
    });

  it('property: option weights add up to the total weight, and shares to 1', () => {
    fc.assert(
      fc.property(ballots, (list) => {
        const result = tally(list);
        const sum = result.options.reduce((s, o) => s + o.weight, 0);
        expect(sum).toBeCloseTo(result.totalWeight, 9);
        if (result.totalWeight > 0) expect(result.options.reduce((s, o) => s + o.share, 0)).toBeCloseTo(1, 9);
        expect(result.options.reduce((n, o) => n + o.voters.length, 0)).toBe(list.length);
      }),
    );
  });

  it('property: no two options ever hold the quorum together, so ballot order never decides', () => {
    fc.assert(
      fc.property(ballots, fc.double({ min: 0.5, max: 1, noNaN: true, minExcluded: true }), (list, quorum) => {
        const result = tally(list, { quorum });
        expect(result.options.filter((o) => result.totalWeight > 0 && o.share >= quorum).length).toBeLessThanOrEqual(1);
        // The same ballots in reverse order give the same decision.
        expect(tally([...list].reverse(), { quorum }).winner).toBe(result.winner);
      }),
      { seed: 5 },
    );
  });

  it('property: a winner holds at least the quorum, and more weight for it keeps it the winner', () => {
    fc.assert(
      fc.property(ballots, fc.double({ min: 0.5, max: 1, noNaN: true, minExcluded: true }), fc.double({ min: 0, max: 5, noNaN: true }), (list, quorum, extra) => {
        const result = tally(list, { quorum });
        if (!result.winner) return;
        expect(result.options[0]!.share).toBeGreaterThanOrEqual(quorum);
        const more = tally([...list, { agent: '__extra__', option: result.winner, weight: extra }], { quorum });
        expect(more.winner).toBe(result.winner);
      }),
    );
  });
});
