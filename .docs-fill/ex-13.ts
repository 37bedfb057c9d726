import { choose, deposit, evaporate, maxMinBounds, seededRandom, type Trails } from "/work/main/src/index.ts";

const bounds = maxMinBounds(2, 0.1); // { min: 1, max: 20 }
let trails: Trails = { code: { alice: 12, bob: 3 } };
const pick = choose(trails, 'code', [{ agent: 'alice', match: 1 }, { agent: 'bob', match: 1 }], seededRandom(7));
console.log(pick.agent, pick.probabilities); // alice is picked with probability 0.8
trails = deposit(evaporate(trails, 0.1, { kind: 'code', bounds }), 'code', pick.agent, 2, { bounds });
console.log(trails);

export {};
