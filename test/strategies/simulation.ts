/** Shared pieces of the learning simulations: the seeds the tests run the bench's scenarios on. */
import type { Random } from '../../src/util/random.js';

export interface SimAgent {
  readonly name: string;
  /** Probability that a task it does succeeds. */
  readonly rate: number;
}

/**
 * The few seeds the tests run. The tests assert the direction of each result on these; the figures
 * (500 seeds, with their spread) are `npm run bench` (bench/strategies.ts).
 */
export const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);

/** Whether a task done by `agent` succeeds this time. */
export function succeeds(agent: SimAgent, random: Random): boolean {
  return random.next() < agent.rate;
}

export const mean = (values: readonly number[]): number => values.reduce((s, x) => s + x, 0) / values.length;
