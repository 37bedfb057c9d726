import { describe, expect, it } from 'vitest';
import { antSystemRouter, colonyRun, stigmergyRouter, twoKindsRun, uniformRouter } from '../../bench/strategy-scenarios.js';
import { mean, SEEDS } from './simulation.js';

// Agents succeeding 50%, 70% and 90% of the time (the best listed last), 300 tasks of one kind, then
// the best one degrades to 30%. The figures over 500 seeds are in `npm run bench`.
describe('stigmergy finds the best agent and follows it when it changes (seeded simulation, pure rules)', () => {
  const colony = SEEDS.map((s) => colonyRun(s, () => stigmergyRouter()));

  it('sends most of the last 100 tasks to the best agent in each seed, more than plain Ant System, the old MAX–MIN rules and random picks', () => {
    for (const [i, run] of colony.entries()) expect({ seed: SEEDS[i], share: run.bestShareLast100 > 0.75 }).toEqual({ seed: SEEDS[i], share: true });
    const share = mean(colony.map((r) => r.bestShareLast100));
    expect(share).toBeGreaterThan(0.9);
    for (const baseline of [() => antSystemRouter(false), () => antSystemRouter(true), () => uniformRouter()])
      expect(share).toBeGreaterThan(mean(SEEDS.map((s) => colonyRun(s, baseline, { shift: false }).bestShareLast100)));
  });

  it('plain Ant System locks onto a worse agent in some seeds (premature convergence); the colony does not', () => {
    const plain = SEEDS.map((s) => colonyRun(s, () => antSystemRouter(false), { shift: false }));
    expect(plain.some((r) => r.bestShareLast100 < 0.05)).toBe(true);
    expect(colony.every((r) => r.settled)).toBe(true);
  });

  it('moves the traffic to the new best within a few dozen tasks after the best agent degrades, failures pulling its trail down', () => {
    const shifts = colony.map((r) => r.shift!).sort((a, b) => a - b);
    expect(shifts.every((t) => t < 60)).toBe(true);
    expect(shifts[Math.floor(shifts.length / 2)]).toBeLessThanOrEqual(30);
  });

  it('learns which agent does which kind of work: each kind goes mostly to its specialist', () => {
    const runs = SEEDS.map(twoKindsRun);
    expect(mean(runs.map((r) => r.code))).toBeGreaterThan(0.8);
    expect(mean(runs.map((r) => r.writing))).toBeGreaterThan(0.75);
  });
});
