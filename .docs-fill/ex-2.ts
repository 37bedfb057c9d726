import { builtinAgents, createMatcher } from "/work/main/src/index.ts";

const matcher = createMatcher(await builtinAgents()); // build the index once
const matches = matcher.rank({ capabilities: ['code', 'refactoring'], text: 'Refactor the CSV parser' }, { limit: 3 });
for (const m of matches) console.log(m.agent.name, m.score.toFixed(3), m.reason);

export {};
