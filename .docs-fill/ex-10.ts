import { tally } from "/work/main/src/index.ts";

const result = tally(
  [
    { agent: 'security-reviewer', option: 'unsafe', weight: 2.2 },
    { agent: 'generalist', option: 'safe', weight: 0.6 },
    { agent: 'junior', option: 'safe', weight: 0.4 },
  ],
  { quorum: 0.67 },
);
console.log(result.winner, result.options[0]!.share);

export {};
