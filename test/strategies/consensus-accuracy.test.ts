import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.js';
import { testAgent, testTask } from '../../strategies/test-support.js';
import { expertiseWeight } from '../../strategies/consensus.js';
import { NO_RECORD, withOutcome, type OutcomeRecord } from '../../strategies/reputation.js';
import { DEFAULT_QUORUM, tally } from '../../strategies/tally.js';
import { SEEDS, type SimAgent } from './simulation.js';

// Yes/no questions; expertise differs, and no agent is so good that it should decide alone.
const AGENTS: readonly SimAgent[] = [
  { name: 'expert', rate: 0.8 },
  { name: 'senior', rate: 0.75 },
  { name: 'mid', rate: 0.7 },
  { name: 'junior1', rate: 0.6 },
  { name: 'junior2', rate: 0.55 },
];
const QUESTIONS = 1000;
const task = testTask({ capabilities: ['judgement'] });
const definitions = new Map(AGENTS.map((a) => [a.name, testAgent(a.name, ['judgement'])]));

/** Correct answers of: the weighted strategy (learning reputations), simple majority, and each agent alone. */
function panel(seedValue: number) {
  const random = seededRandom(seedValue);
  const records = new Map<string, OutcomeRecord>(AGENTS.map((a) => [a.name, NO_RECORD]));
  let weighted = 0;
  let majority = 0;
  const alone: Record<string, number> = Object.fromEntries(AGENTS.map((a) => [a.name, 0]));
  for (let q = 0; q < QUESTIONS; q++) {
    const answers = AGENTS.map((a) => ({ agent: a.name, option: random.next() < a.rate ? 'right' : 'wrong' }));
    for (const a of answers) if (a.option === 'right') alone[a.agent]! += 1;
    // The strategy's rule: reputation weights, quorum 0.67, else the weighted plurality.
    const result = tally(
      answers.map((a) => ({ ...a, weight: expertiseWeight(definitions.get(a.agent)!, task, records.get(a.agent)!, 'reputation') })),
      { quorum: DEFAULT_QUORUM },
    );
    if ((result.winner ?? result.options[0]!.option) === 'right') weighted++;
    const simple = tally(answers.map((a) => ({ ...a, weight: 1 })), { quorum: 0.5 });
    if (simple.options[0]!.option === 'right') majority++;
    // The truth comes out afterwards and is reported as each voter's outcome.
    for (const a of answers) records.set(a.agent, withOutcome(records.get(a.agent)!, a.option === 'right'));
  }
  return { weighted, majority, bestAlone: Math.max(...Object.values(alone)) };
}

describe('weighted consensus is right more often than simple majority and than any single agent (seeded simulation)', () => {
  const results = SEEDS.map(panel);

  it('over all seeds together', () => {
    const sum = (pick: (r: ReturnType<typeof panel>) => number) => results.reduce((n, r) => n + pick(r), 0);
    expect(sum((r) => r.weighted)).toBeGreaterThan(sum((r) => r.majority));
    expect(sum((r) => r.weighted)).toBeGreaterThan(sum((r) => r.bestAlone));
  });

  it('in every seed', () => {
    results.forEach((r, i) => {
      expect({ seed: SEEDS[i], beatsMajority: r.weighted > r.majority, beatsEveryAgent: r.weighted > r.bestAlone }).toEqual({
        seed: SEEDS[i],
        beatsMajority: true,
        beatsEveryAgent: true,
      });
    });
  });
});
