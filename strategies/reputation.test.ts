import { describe, expect, it } from 'vitest';
import { memoryStore } from '../src/store/memory-store.js';
import { StoreDataError } from './errors.js';
import { accuracy, LAPLACE_PRIOR, logOddsWeight, NO_RECORD, priorFor, reputationStore, withOutcome } from './reputation.js';

describe('reputation rules', () => {
  it('gives an agent with no record the prior mean: 0.5 under Laplace, its priority prior otherwise', () => {
    expect(accuracy(NO_RECORD, LAPLACE_PRIOR)).toBe(0.5);
    expect(accuracy(NO_RECORD, priorFor(undefined))).toBeCloseTo(0.65);
    expect(accuracy(NO_RECORD, priorFor('critical'))).toBeCloseTo(0.85);
    // The no-record weight is positive, so a new agent's vote counts.
    expect(logOddsWeight(accuracy(NO_RECORD, priorFor(undefined)))).toBeCloseTo(Math.log(0.65 / 0.35));
  });

  it('moves from the prior toward the measured rate as outcomes come in', () => {
    let record = NO_RECORD;
    for (let i = 0; i < 18; i++) record = withOutcome(record, i % 10 !== 0); // 16 of 18
    expect(record).toEqual({ successes: 16, failures: 2 });
    expect(accuracy(record, priorFor('low'))).toBeCloseTo((16 + 1.1) / 20);
    expect(withOutcome(NO_RECORD, 0.25)).toEqual({ successes: 0.25, failures: 0.75 });
    expect(() => withOutcome(NO_RECORD, 2)).toThrow(/outcome must be/);
  });

  it('weighs by log-odds, muting agents at or below chance with a small floor instead of a negative weight', () => {
    expect(logOddsWeight(0.9)).toBeCloseTo(Math.log(9));
    expect(logOddsWeight(0.5)).toBe(0.01);
    expect(logOddsWeight(0.2)).toBe(0.01);
    expect(Number.isFinite(logOddsWeight(1))).toBe(true);
  });

  it('weighs by ln((c − 1) p / (1 − p)) among c possible answers, the optimum when errors spread evenly', () => {
    expect(logOddsWeight(0.8, 0.01, 3)).toBeCloseTo(Math.log(8));
    expect(logOddsWeight(0.8, 0.01, 2)).toBeCloseTo(logOddsWeight(0.8));
    // At chance among three answers (1/3) a voter is muted; above it, it counts.
    expect(logOddsWeight(1 / 3, 0.01, 3)).toBe(0.01);
    expect(logOddsWeight(0.4, 0.01, 3)).toBeCloseTo(Math.log(2 * 0.4 / 0.6));
  });

  it('refuses a NaN or out-of-range probability, a bad floor and fewer than two choices, naming them', () => {
    expect(() => logOddsWeight(Number.NaN)).toThrow(/logOddsWeight: p must be a probability in \[0, 1\], got NaN/);
    expect(() => logOddsWeight(1.2)).toThrow(/got 1\.2/);
    expect(() => logOddsWeight(0.7, -1)).toThrow(/floor must be/);
    expect(() => logOddsWeight(0.7, 0.01, 1)).toThrow(/choices must be an integer >= 2, got 1/);
  });

  it('refuses a prior worth nothing instead of returning NaN', () => {
    expect(() => priorFor('high', 0)).toThrow(/priorFor: strength must be a finite number > 0 .*got 0/);
    expect(() => priorFor('high', Number.NaN)).toThrow(/strength/);
    expect(() => accuracy(NO_RECORD, { alpha: 0, beta: 0 })).toThrow(/accuracy: no outcomes and a prior of strength 0/);
    expect(accuracy({ successes: 3, failures: 1 }, { alpha: 0, beta: 0 })).toBe(0.75);
    expect(() => accuracy({ successes: Number.NaN, failures: 0 })).toThrow(/record\.successes must be a finite number >= 0, got NaN/);
  });
});

describe('reputationStore', () => {
  it('keeps a record per capability and reads a task as the mean over its capabilities', () => {
    const store = memoryStore();
    const reputations = reputationStore(store);
    reputations.record('coder', ['Code', 'review'], true);
    reputations.record('coder', ['code'], false);
    expect(store.keys('reputation/')).toEqual(['reputation/code/coder', 'reputation/review/coder']);
    expect(reputations.get('coder', ['code'])).toEqual({ successes: 1, failures: 1 });
    expect(reputations.get('coder', ['code', 'review'])).toEqual({ successes: 1, failures: 0.5 });
    expect(reputations.get('coder', [])).toEqual(NO_RECORD);
    reputations.record('coder', [], true);
    expect(reputations.get('coder', [])).toEqual({ successes: 1, failures: 0 });
  });

  it('is shared through the store and separated by namespace', () => {
    const store = memoryStore();
    reputationStore(store).record('a', ['x'], true);
    expect(reputationStore(store).get('a', ['x']).successes).toBe(1);
    expect(reputationStore(store, 'other').get('a', ['x'])).toEqual(NO_RECORD);
  });

  it('names the key when stored data is not a record', () => {
    const store = memoryStore({ 'reputation/x/a': { successes: 'many' } });
    expect(() => reputationStore(store).get('a', ['x'])).toThrow(StoreDataError);
    expect(() => reputationStore(store).get('a', ['x'])).toThrow(/store entry "reputation\/x\/a"/);
  });
});
