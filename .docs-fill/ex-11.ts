import { balance, selectLeader } from "/work/main/src/index.ts";

const team = [
  { name: 'researcher', capabilities: ['research'] },
  { name: 'analyst', capabilities: ['research', 'data-analysis'] },
];
console.log(selectLeader(team, { capabilities: ['research', 'data-analysis'] }).name);
console.log(balance(
  [{ id: 'survey', effort: 3, capabilities: ['research'] }, { id: 'stats', effort: 2, capabilities: ['data-analysis'] }, { id: 'sources', effort: 1, capabilities: ['research'] }],
  team,
).assignments);

export {};
