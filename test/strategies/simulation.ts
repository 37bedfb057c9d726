/** Shared pieces of the learning simulations: agents with known success rates, and seeds. */
import type { Random } from '../../src/util/random.js';

export interface SimAgent {
  readonly name: string;
  /** Probability that a task it does succeeds. */
  readonly rate: number;
}

/** Seeds every simulation runs under; each assertion must hold for every one of them. */
export const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

/** Whether a task done by `agent` succeeds this time. */
export function succeeds(agent: SimAgent, random: Random): boolean {
  return random.next() < agent.rate;
}
