import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../src/util/random.js';
import { choose, deposit, evaporate, maxMinBounds, seed, type Trails } from './pheromone.js';

const fixed = (value: number): Random => ({ next: () => value });
const deepFreeze = (trails: Trails): Trails => Object.freeze(Object.fromEntries(Object.entries(trails).map(([k, row]) => [k, Object.freeze({ ...row })])));

describe('choose', () => {
  const candidates = [
    { agent: 'a', match: 1 },
    { agent: 'b', match: 0.5 },
  ];

  it('picks with probability ∝ pheromone^alpha × match^beta', () => {
    // a: 1 × 1² = 1; b: 4 × 0.5² = 1 → 50/50 with alpha 1, beta 2.
    const trails = { code: { a: 1, b: 4 } };
    const choice = choose(trails, 'code', candidates, fixed(0.49));
    expect(choice.probabilities).toEqual({ a: 0.5, b: 0.5 });
    expect(choice.agent).toBe('a');
    expect(choose(trails, 'code', candidates, fixed(0.51)).agent).toBe('b');
    // alpha 2: a 1, b 16 × 0.25 = 4 → 0.2 / 0.8.
    const sharper = choose(trails, 'code', candidates, fixed(0.5), { alpha: 2 });
    expect(sharper.probabilities.a).toBeCloseTo(0.2);
    expect(sharper.agent).toBe('b');
  });

  it('never picks an agent whose pheromone is zero, unless every weight is zero (then uniform)', () => {
    const rng = seededRandom(7);
    for (let i = 0; i < 50; i++) expect(choose({ k: { a: 0, b: 1 } }, 'k', candidates, rng).agent).toBe('b');
    expect(choose({ k: { a: 0, b: 0 } }, 'k', candidates, fixed(0.2)).probabilities).toEqual({ a: 0.5, b: 0.5 });
  });

  it('gives an agent with no trail the initial pheromone and mixes in the exploration floor', () => {
    const choice = choose({}, 'new-kind', [{ agent: 'a', match: 1 }, { agent: 'b', match: 1 }], fixed(0), { initial: 3, exploration: 0.2 });
    expect(choice.pheromone).toEqual({ a: 3, b: 3 });
    const skewed = choose({ k: { a: 9, b: 1 } }, 'k', [{ agent: 'a', match: 1 }, { agent: 'b', match: 1 }], fixed(0), { exploration: 0.2 });
    // 0.8 × 0.1 + 0.2 / 2 = 0.18.
    expect(skewed.probabilities.b).toBeCloseTo(0.18);
  });

  it('draws exactly one number per choice (reproducible from a seed)', () => {
    let draws = 0;
    choose({ k: { a: 1, b: 2 } }, 'k', candidates, { next: () => (draws++, 0.3) });
    expect(draws).toBe(1);
    const picks = (s: number) => Array.from({ length: 20 }, (_, i, r = seededRandom(s)) => choose({ k: { a: 1, b: 2 } }, 'k', candidates, r).agent);
    expect(picks(3)).toEqual(picks(3));
  });

  it('rejects an empty candidate list and a bad exploration share', () => {
    expect(() => choose({}, 'k', [], fixed(0))).toThrow(/no candidates for work of kind "k"/);
    expect(() => choose({}, 'k', candidates, fixed(0), { exploration: 2 })).toThrow(/exploration/);
  });
});

describe('evaporate and deposit', () => {
  it('evaporates by the rate, only the kind given, and not below tau_min', () => {
    const trails = deepFreeze({ code: { a: 10, b: 1 }, write: { a: 5 } });
    expect(evaporate(trails, 0.1)).toEqual({ code: { a: 9, b: 0.9 }, write: { a: 4.5 } });
    expect(evaporate(trails, 0.1, { kind: 'code', bounds: { min: 1, max: 20 } })).toEqual({ code: { a: 9, b: 1 }, write: { a: 5 } });
  });

  it('deposits, capped at tau_max, starting a missing trail at the initial value', () => {
    const trails = deepFreeze({ code: { a: 19 } });
    expect(deposit(trails, 'code', 'a', 2, { bounds: { min: 1, max: 20 } })).toEqual({ code: { a: 20 } });
    expect(deposit(trails, 'code', 'b', 2)).toEqual({ code: { a: 19, b: 2 } });
    expect(deposit(trails, 'new', 'b', 2, { initial: 1 })).toEqual({ code: { a: 19 }, new: { b: 3 } });
    expect(() => deposit(trails, 'code', 'a', -1)).toThrow(/amount/);
  });

  it('seeds missing trails without touching existing ones', () => {
    expect(seed(deepFreeze({ k: { a: 4 } }), 'k', ['a', 'b'], 20)).toEqual({ k: { a: 4, b: 20 } });
  });

  it('MAX-MIN bounds default to tau_max = reinforcement / evaporation and tau_min = 5% of it', () => {
    expect(maxMinBounds(2, 0.1)).toEqual({ min: 1, max: 20 });
    expect(() => maxMinBounds(2, 0)).toThrow(/evaporation/);
  });

  const trailsArb = fc.dictionary(
    fc.constantFrom('k1', 'k2'),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.double({ min: 0, max: 50, noNaN: true })),
  );

  it('property: evaporation never takes a trail below tau_min, deposit never above tau_max, and the input is unchanged', () => {
    const bounds = { min: 1, max: 20 };
    fc.assert(
      fc.property(trailsArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 30, noNaN: true }), (trails, rate, amount) => {
        const before = JSON.stringify(trails);
        const evaporated = evaporate(trails, rate, { bounds });
        for (const row of Object.values(evaporated)) for (const tau of Object.values(row)) expect(tau).toBeGreaterThanOrEqual(bounds.min);
        const deposited = deposit(evaporated, 'k1', 'a', amount, { bounds, initial: bounds.max });
        expect(deposited.k1!.a).toBeLessThanOrEqual(bounds.max);
        expect(deposited.k1!.a).toBeGreaterThanOrEqual(bounds.min);
        expect(JSON.stringify(trails)).toBe(before);
      }),
    );
  });
});
