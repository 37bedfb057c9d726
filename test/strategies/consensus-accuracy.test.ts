import { describe, expect, it } from 'vitest';
import { consensusExactAccuracy, consensusPanel, PANEL } from '../../bench/strategy-scenarios.js';
import { logOddsWeight } from '../../strategies/reputation.js';
import { SEEDS } from './simulation.js';

// The panel of five independent voters [0.85, 0.80, 0.65, 0.60, 0.60], 200 questions. Accuracy is
// that of the consensus rule with the weights it ends with, exact over every pattern of answers.
// The figures over 500 seeds are in `npm run bench`.
const majority = (choices: number) => consensusExactAccuracy(choices, () => PANEL.map(() => 1));
const best = PANEL[0];

describe('weighted consensus learns from outcomes, never from its own agreement (seeded simulation, pure rules)', () => {
  it('with no outcome reported (the default), weighs every voter alike: exactly simple majority, in every seed', () => {
    for (const s of SEEDS) expect(consensusPanel(s, { rounds: 200, choices: 2, learning: 'none' }).exact).toBeCloseTo(majority(2), 12);
  });

  it('with outcomes reported, beats simple majority and the best single voter in every seed', () => {
    for (const s of SEEDS) {
      const { exact } = consensusPanel(s, { rounds: 200, choices: 2, learning: 'outcomes' });
      expect({ seed: s, beatsMajority: exact > majority(2), beatsBest: exact > best }).toEqual({ seed: s, beatsMajority: true, beatsBest: true });
    }
  });

  it('learning from agreement, the old default, falls below simple majority in some seeds', () => {
    const agreement = Array.from({ length: 20 }, (_, i) => consensusPanel(i + 1, { rounds: 200, choices: 2, learning: 'agreement' }).exact);
    expect(agreement.some((a) => a < majority(2) - 0.02)).toBe(true);
  });

  it('with three possible answers, the k-option weights ln(2p / (1 − p)) beat the two-option log-odds and equal weights', () => {
    const kOption = consensusExactAccuracy(3, () => PANEL.map((p) => logOddsWeight(p, 0.01, 3)));
    const twoOption = consensusExactAccuracy(3, () => PANEL.map((p) => logOddsWeight(p)));
    expect(kOption).toBeGreaterThan(twoOption);
    expect(kOption).toBeGreaterThan(majority(3));
    expect(kOption).toBeGreaterThan(0.92);
    for (const s of SEEDS.slice(0, 3))
      expect(consensusPanel(s, { rounds: 200, choices: 3, learning: 'outcomes', declaredChoices: 3 }).exact).toBeGreaterThan(twoOption);
  });
});
