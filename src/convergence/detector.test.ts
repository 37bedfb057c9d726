import { describe, expect, it } from 'vitest';
import { createEventBus } from '../events/bus.js';
import type { TaskforceEvent } from '../events/types.js';
import { manualClock } from '../util/clock.js';
import { createConvergenceDetector } from './detector.js';
import { shingleSimilarity } from './similarity.js';

function recordingBus() {
  const bus = createEventBus({ clock: manualClock() });
  const events: TaskforceEvent[] = [];
  bus.on((e) => events.push(e));
  return { bus, events };
}

describe('createConvergenceDetector', () => {
  it('keeps going while rounds keep changing', () => {
    const detector = createConvergenceDetector({ maxRounds: 5 });
    expect(detector.observe('first draft of the plan')).toMatchObject({ done: false, reason: null, rounds: 1, similarity: null });
    const second = detector.observe('a wholly different proposal');
    expect(second.done).toBe(false);
    expect(second.similarity).toBe(0);
  });

  it('stops as stable when a round repeats the previous one up to case and punctuation', () => {
    const detector = createConvergenceDetector({ maxRounds: 5 });
    detector.observe('Ship the API first');
    detector.observe('Ship the API first, then the CLI');
    const state = detector.observe('ship the api first then the CLI.');
    expect(state).toMatchObject({ done: true, reason: 'stable', rounds: 3, similarity: 1 });
  });

  it('stops as stable on similarity at the threshold but not just below it', () => {
    // 'a b c d e' vs 'a b c d f': 4 shared of 6 distinct words.
    const at = createConvergenceDetector({ maxRounds: 5, threshold: 4 / 6 });
    at.observe('a b c d e');
    expect(at.observe('a b c d f').reason).toBe('stable');
    const above = createConvergenceDetector({ maxRounds: 5, threshold: 0.7 });
    above.observe('a b c d e');
    expect(above.observe('a b c d f').done).toBe(false);
  });

  it('detects oscillation A, B, A and names the round repeated', () => {
    const detector = createConvergenceDetector({ maxRounds: 10 });
    detector.observe('use postgres for storage');
    detector.observe('use sqlite for storage because it is embedded');
    const state = detector.observe('Use Postgres for storage.');
    expect(state).toMatchObject({ done: true, reason: 'oscillation', rounds: 3, repeatsRound: 1 });
    expect(state.similarity).toBeLessThan(0.9);
  });

  it('detects a longer cycle A, B, C, A', () => {
    const detector = createConvergenceDetector({ maxRounds: 10 });
    for (const text of ['red apples', 'green pears', 'blue plums']) expect(detector.observe(text).done).toBe(false);
    expect(detector.observe('red apples')).toMatchObject({ reason: 'oscillation', repeatsRound: 1, rounds: 4 });
  });

  it('stops at maxRounds when nothing settles', () => {
    const detector = createConvergenceDetector({ maxRounds: 3 });
    detector.observe('one');
    detector.observe('two');
    expect(detector.observe('three')).toMatchObject({ done: true, reason: 'max-rounds', rounds: 3 });
  });

  it('stops on agreement when every output of a round matches every other', () => {
    const detector = createConvergenceDetector({ maxRounds: 5 });
    const first = detector.observe(['yes, approve it', 'no, reject it', 'yes approve it']);
    expect(first.done).toBe(false);
    expect(first.agreement).toBeCloseTo(1 / 5); // 'it' is the only word shared by yes and no
    const second = detector.observe(['Yes, approve it.', 'yes approve it', 'YES approve it']);
    expect(second).toMatchObject({ done: true, reason: 'agreement', agreement: 1, rounds: 2 });
  });

  it('can stop on agreement in the very first round', () => {
    const detector = createConvergenceDetector({ maxRounds: 5 });
    expect(detector.observe(['approve', 'Approve!']).reason).toBe('agreement');
  });

  it('needs every participant to settle for a multi-output round to be stable', () => {
    const detector = createConvergenceDetector({ maxRounds: 5 });
    detector.observe(['alpha plan', 'beta plan']);
    expect(detector.observe(['alpha plan', 'gamma idea']).done).toBe(false);
    expect(detector.observe(['alpha plan', 'gamma idea'])).toMatchObject({ done: true, reason: 'stable' });
  });

  it('does not stop before minRounds, except at maxRounds', () => {
    const detector = createConvergenceDetector({ maxRounds: 4, minRounds: 3 });
    detector.observe('same');
    expect(detector.observe('same').done).toBe(false);
    expect(detector.observe('same')).toMatchObject({ done: true, reason: 'stable', rounds: 3 });
  });

  it('uses a custom similarity function on normalised text', () => {
    const seen: [string, string][] = [];
    const lengthOnly = (a: string, b: string) => {
      seen.push([a, b]);
      return a.length === b.length ? 1 : 0;
    };
    const detector = createConvergenceDetector({ maxRounds: 5, similarity: lengthOnly });
    detector.observe('Cat!');
    expect(detector.observe('dog')).toMatchObject({ done: true, reason: 'stable' });
    expect(seen).toEqual([['cat', 'dog']]);
  });

  it('accepts shingle similarity, which notices reordering', () => {
    const detector = createConvergenceDetector({ maxRounds: 5, similarity: shingleSimilarity });
    detector.observe('first design then build then test');
    expect(detector.observe('first test then build then design').done).toBe(false);
  });

  it('emits a round event per round and a stopped event with the reason', () => {
    const { bus, events } = recordingBus();
    const detector = createConvergenceDetector({ maxRounds: 5, events: bus, taskId: 'refine' });
    detector.observe('draft');
    detector.observe('draft');
    expect(events.map((e) => e.type)).toEqual(['convergence.round', 'convergence.round', 'convergence.stopped']);
    expect(events[0]).toMatchObject({ taskId: 'refine', round: 1, similarity: null });
    expect(events[1]).toMatchObject({ taskId: 'refine', round: 2, similarity: 1 });
    expect(events[2]).toMatchObject({ taskId: 'refine', rounds: 2, reason: 'stable' });
  });

  it('refuses a round after it has stopped', () => {
    const detector = createConvergenceDetector({ maxRounds: 1 });
    detector.observe('x');
    expect(() => detector.observe('y')).toThrow(expect.objectContaining({ code: 'CONVERGENCE_ALREADY_STOPPED' }));
  });

  it('refuses an empty round', () => {
    const detector = createConvergenceDetector({ maxRounds: 3 });
    expect(() => detector.observe([])).toThrow(expect.objectContaining({ code: 'CONVERGENCE_EMPTY_ROUND' }));
  });

  it('rejects a similarity function that leaves [0, 1]', () => {
    const detector = createConvergenceDetector({ maxRounds: 3, similarity: () => 1.5 });
    detector.observe('a');
    expect(() => detector.observe('b')).toThrow(expect.objectContaining({ code: 'CONVERGENCE_BAD_SIMILARITY' }));
  });

  it.each([
    [{ maxRounds: 0 }, /maxRounds/],
    [{ maxRounds: 2.5 }, /maxRounds/],
    [{ maxRounds: 3, threshold: 1.2 }, /threshold/],
    [{ maxRounds: 3, threshold: Number.NaN }, /threshold/],
    [{ maxRounds: 3, minRounds: 4 }, /minRounds/],
  ])('rejects bad options %o with a ConfigError naming the option', (options, message) => {
    expect(() => createConvergenceDetector(options)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR', message: expect.stringMatching(message) }));
  });
});
