import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.js';
import { choose, maxMinBounds, seed, updateTrails, type PheromoneBounds, type Trails } from '../../strategies/pheromone.js';
import { STIGMERGY_DEFAULTS } from '../../strategies/stigmergy.js';
import { SEEDS, succeeds, type SimAgent } from './simulation.js';

// Agents of known success rates; the best is listed last so that a tie-break cannot favour it.
const AGENTS: readonly SimAgent[] = [
  { name: 'weak', rate: 0.3 },
  { name: 'fair', rate: 0.5 },
  { name: 'best', rate: 0.9 },
];
const TASKS = 300;
const KIND = 'code';

/** Runs the colony on TASKS tasks of one kind; returns how many tasks each agent got. */
function colony(seedValue: number, guard: { bounds?: PheromoneBounds; exploration: number; initial: number }): Record<string, number> {
  const random = seededRandom(seedValue);
  const d = STIGMERGY_DEFAULTS;
  let trails: Trails = seed({}, KIND, AGENTS.map((a) => a.name), guard.initial);
  const counts: Record<string, number> = Object.fromEntries(AGENTS.map((a) => [a.name, 0]));
  for (let t = 0; t < TASKS; t++) {
    const pick = choose(trails, KIND, AGENTS.map((a) => ({ agent: a.name, match: 1 })), random, {
      alpha: d.alpha,
      beta: d.beta,
      exploration: guard.exploration,
      initial: guard.initial,
    });
    counts[pick.agent]! += 1;
    const score = succeeds(AGENTS.find((a) => a.name === pick.agent)!, random) ? 1 : 0;
    trails = updateTrails(trails, KIND, pick.agent, score, {
      evaporation: d.evaporation,
      reinforcement: d.reinforcement,
      initial: guard.initial,
      ...(guard.bounds ? { bounds: guard.bounds } : {}),
    });
  }
  return counts;
}

describe('stigmergy learns which agent does the work best (seeded simulation, pure rules)', () => {
  const bounds = maxMinBounds(STIGMERGY_DEFAULTS.reinforcement, STIGMERGY_DEFAULTS.evaporation, STIGMERGY_DEFAULTS.minRatio);
  const guarded = { bounds, exploration: STIGMERGY_DEFAULTS.exploration, initial: bounds.max };
  const plain = { exploration: 0, initial: 1 };

  it('plain Ant System locks onto a worse agent in some seeds (premature convergence)', () => {
    const locked = SEEDS.filter((s) => colony(s, plain).best! < TASKS * 0.05);
    expect(locked.length).toBeGreaterThan(0);
  });

  it('with MAX-MIN bounds and the exploration floor (the defaults), most work goes to the best agent in every seed', () => {
    for (const s of SEEDS) {
      const counts = colony(s, guarded);
      expect({ seed: s, majority: counts.best! > TASKS / 2 }).toEqual({ seed: s, majority: true });
    }
  });

  it('the guarded colony recovers in the very seeds where plain Ant System locked on', () => {
    const locked = SEEDS.filter((s) => colony(s, plain).best! < TASKS * 0.05);
    for (const s of locked) expect(colony(s, guarded).best).toBeGreaterThan(TASKS / 2);
  });
});
