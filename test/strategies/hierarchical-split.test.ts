import { describe, expect, it } from 'vitest';
import { splitRun } from '../../bench/strategy-scenarios.js';
import { mean, SEEDS } from './simulation.js';

// A leader's split of 6–16 subtasks of random effort over 4 workers. The figures over 500 seeds are in `npm run bench`.
describe('the leader spreads subtasks by LPT (seeded simulation, pure rules)', () => {
  it('finishes no later than round-robin in each of these seeds, and sooner on average', () => {
    const runs = SEEDS.map(splitRun);
    for (const run of runs) expect(run.lpt).toBeLessThanOrEqual(run.roundRobin + 1e-12);
    expect(mean(runs.map((r) => r.lpt))).toBeLessThan(mean(runs.map((r) => r.roundRobin)) - 0.2);
  });
});
