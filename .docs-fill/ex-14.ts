import { createConvergenceDetector, iterateUntilConverged, shingleSimilarity } from "/work/main/src/index.ts";

const detector = createConvergenceDetector({ maxRounds: 5 });
detector.observe('Ship the API first.');
detector.observe('Ship the API first, then the CLI.');
console.log(detector.observe('ship the API first then the CLI'));

// Run rounds until they settle; a step returns one text or one per participant.
const votes = [['approve', 'reject', 'approve'], ['Approve.', 'approve', 'APPROVE']];
const result = await iterateUntilConverged(async (round) => votes[round - 1]!, { maxRounds: 4 });
console.log(result.reason, result.rounds);

// Oscillation: A, B, A
const flip = await iterateUntilConverged(
  async (round) => (round % 2 ? 'use tabs' : 'use spaces'),
  { maxRounds: 10, similarity: shingleSimilarity },
);
console.log(flip.reason, flip.repeatsRound);

export {};
