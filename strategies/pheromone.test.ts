import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../src/util/random.js';
import { choose, deposit, draw, evaporate, NO_TRAIL, pickProbabilities, seed, updateTrails, type Trails } from './pheromone.js';

const deepFreeze = (trails: Trails): Trails => Object.freeze(Object.fromEntries(Object.entries(trails).map(([k, row]) => [k, Object.freeze({ ...row })])));
const t = (success: number, failure: number) => ({ success, failure });
const pair = [
  { agent: 'a', match: 1 },
  { agent: 'b', match: 1 },
];

/** How often each agent is drawn over `n` picks. */
function frequencies(trails: Trails, candidates: typeof pair, n: number, rng: Random, params = {}): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const agent = draw(trails, 'k', candidates, rng, params);
    counts[agent] = (counts[agent] ?? 0) + 1 / n;
  }
  return counts;
}

describe('choose', () => {
  it('gives agents with the same trail and match the same chance', () => {
    const choice = choose({ k: { a: t(3, 1), b: t(3, 1) } }, 'k', pair, seededRandom(1));
    expect(choice.probabilities.a).toBeCloseTo(0.5, 3);
    expect(choice.belief).toEqual({ a: 4 / 6, b: 4 / 6 });
    expect(choice.pheromone).toEqual({ a: t(3, 1), b: t(3, 1) });
  });

  it('picks an agent with the probability that its draw is the best, as the draws themselves do', () => {
    const trails = { k: { a: t(9, 1), b: t(2, 3) } };
    const p = pickProbabilities(trails, 'k', pair);
    expect(p.a).toBeGreaterThan(0.9);
    expect(p.a! + p.b!).toBeCloseTo(1, 9);
    // The draws agree with the computed probabilities.
    expect(frequencies(trails, pair, 20_000, seededRandom(3)).a).toBeCloseTo(p.a!, 2);
  });

  it('favours a better match when the trails are equal (match^beta)', () => {
    const candidates = [
      { agent: 'a', match: 1 },
      { agent: 'b', match: 0.5 },
    ];
    const trails = { k: { a: t(5, 5), b: t(5, 5) } };
    const p = pickProbabilities(trails, 'k', candidates);
    expect(p.a).toBeGreaterThan(0.9);
    expect(frequencies(trails, candidates, 20_000, seededRandom(4)).a).toBeCloseTo(p.a!, 2);
    // With beta 0 the match no longer counts.
    expect(pickProbabilities(trails, 'k', candidates, { beta: 0 }).a).toBeCloseTo(0.5, 3);
  });

  it('explores less as evidence accumulates: the same success rate, more outcomes, a surer pick', () => {
    const thin = pickProbabilities({ k: { a: t(3, 1), b: t(2, 2) } }, 'k', pair).a!;
    const thick = pickProbabilities({ k: { a: t(30, 10), b: t(20, 20) } }, 'k', pair).a!;
    expect(thin).toBeLessThan(0.8);
    expect(thick).toBeGreaterThan(0.95);
  });

  it('gives an agent with no trail the prior, and mixes in the uniform exploration share', () => {
    const fresh = choose({}, 'new-kind', pair, seededRandom(1), { prior: t(2, 1) });
    expect(fresh.pheromone).toEqual({ a: NO_TRAIL, b: NO_TRAIL });
    expect(fresh.belief.a).toBeCloseTo(2 / 3);
    const skewed = pickProbabilities({ k: { a: t(50, 0), b: t(0, 50) } }, 'k', pair, { exploration: 0.2 });
    expect(skewed.b).toBeCloseTo(0.1, 6);
  });

  it('is reproducible from a seed', () => {
    const picks = (s: number) => {
      const rng = seededRandom(s);
      return Array.from({ length: 30 }, () => choose({ k: { a: t(1, 2), b: t(2, 1) } }, 'k', pair, rng).agent);
    };
    expect(picks(3)).toEqual(picks(3));
  });

  it('rejects an empty candidate list and bad parameters, naming them', () => {
    const rng = seededRandom(1);
    expect(() => choose({}, 'k', [], rng)).toThrow(/no candidates for work of kind "k"/);
    expect(() => choose({}, 'k', pair, rng, { exploration: 2 })).toThrow(/exploration/);
    expect(() => choose({}, 'k', pair, rng, { alpha: 0 })).toThrow(/alpha must be/);
    expect(() => choose({}, 'k', pair, rng, { prior: t(0, 1) })).toThrow(/prior must have success > 0/);
  });
});

describe('trail updates', () => {
  it('evaporates both pheromones by the rate, only the kind and agents given', () => {
    const trails = deepFreeze({ code: { a: t(10, 2), b: t(1, 1) }, write: { a: t(5, 5) } });
    expect(evaporate(trails, 0.5)).toEqual({ code: { a: t(5, 1), b: t(0.5, 0.5) }, write: { a: t(2.5, 2.5) } });
    expect(evaporate(trails, 0.5, { kind: 'code', agents: ['a'] })).toEqual({ code: { a: t(5, 1), b: t(1, 1) }, write: { a: t(5, 5) } });
  });

  it('lays an outcome as success and failure pheromone, a grade split between them', () => {
    const trails = deepFreeze({ code: { a: t(1, 1) } });
    expect(deposit(trails, 'code', 'a', 1)).toEqual({ code: { a: t(2, 1) } });
    expect(deposit(trails, 'code', 'a', 0)).toEqual({ code: { a: t(1, 2) } });
    expect(deposit(trails, 'code', 'b', 0.25, 2)).toEqual({ code: { a: t(1, 1), b: t(0.5, 1.5) } });
    expect(() => deposit(trails, 'code', 'a', 2)).toThrow(/score/);
  });

  it('updates only the agent that did the work: its trail evaporates, then it lays the outcome', () => {
    const trails = deepFreeze({ code: { a: t(10, 0), b: t(4, 4) } });
    const after = updateTrails(trails, 'code', 'a', 0, { evaporation: 0.1, reinforcement: 1 });
    expect(after.code!.a!.success).toBeCloseTo(9);
    expect(after.code!.a!.failure).toBeCloseTo(1);
    expect(after.code!.b).toEqual(t(4, 4));
  });

  it('lets a trail fall as well as rise: failures lower the belief in an agent', () => {
    let trails: Trails = { code: { a: t(20, 2) } };
    const belief = () => choose(trails, 'code', [{ agent: 'a', match: 1 }], seededRandom(1)).belief.a!;
    const before = belief();
    for (let i = 0; i < 10; i++) trails = updateTrails(trails, 'code', 'a', 0, { evaporation: 0.04, reinforcement: 1 });
    expect(belief()).toBeLessThan(before - 0.3);
  });

  it('seeds missing trails empty without touching existing ones', () => {
    expect(seed(deepFreeze({ k: { a: t(4, 1) } }), 'k', ['a', 'b'])).toEqual({ k: { a: t(4, 1), b: NO_TRAIL } });
  });

  const trailsArb = fc.dictionary(
    fc.constantFrom('k1', 'k2'),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.record({ success: fc.double({ min: 0, max: 50, noNaN: true }), failure: fc.double({ min: 0, max: 50, noNaN: true }) })),
  );

  it('property: a trail never holds more than reinforcement / evaporation outcomes beyond where it started, and the input is unchanged', () => {
    fc.assert(
      fc.property(
        trailsArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (trails, scores, rate) => {
          const before = JSON.stringify(trails);
          let next: Trails = trails;
          for (const score of scores) next = updateTrails(next, 'k1', 'a', score, { evaporation: rate, reinforcement: 1 });
          const start = trails.k1?.a ?? NO_TRAIL;
          const held = next.k1?.a ?? NO_TRAIL;
          expect(held.success + held.failure).toBeLessThanOrEqual(Math.max(start.success + start.failure, 1 / rate) + 1e-6);
          expect(held.success).toBeGreaterThanOrEqual(0);
          expect(held.failure).toBeGreaterThanOrEqual(0);
          expect(JSON.stringify(trails)).toBe(before);
        },
      ),
      { seed: 42 },
    );
  });

  it('property: pick probabilities are a distribution, the same for the same trails, higher for the better trail', () => {
    fc.assert(
      fc.property(fc.nat(30), fc.nat(30), fc.nat(30), fc.nat(30), (sa, fa, sb, fb) => {
        const trails = { k: { a: t(sa, fa), b: t(sb, fb) } };
        const p = pickProbabilities(trails, 'k', pair);
        expect(p.a! + p.b!).toBeCloseTo(1, 9);
        // More successes and fewer failures never lower an agent's chance.
        const better = pickProbabilities({ k: { a: t(sa + 1, fa), b: t(sb, fb) } }, 'k', pair);
        expect(better.a!).toBeGreaterThanOrEqual(p.a! - 1e-3);
      }),
      { seed: 7, numRuns: 60 },
    );
  });
});
