import { clearAuction } from "/work/main/src/index.ts";

const result = clearAuction(
  [
    { agent: 'fast-coder', cost: 3, confidence: 0.9, weight: 0.8 },
    { agent: 'careful-coder', cost: 4, confidence: 1, weight: 0.95 },
    { agent: 'intern', cost: 1, confidence: 0.5, weight: 0.2 },
  ],
  { reserve: 8 },
);
console.log(result.winner, ...[result.winningBid, result.threshold, result.price].map((x) => x.toFixed(4)));

export {};
