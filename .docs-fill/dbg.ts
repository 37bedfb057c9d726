import { readFileSync } from 'node:fs';
import { orchestrate, modelFromProvider, scriptedModel } from '/work/main/src/index.ts';
import { replies } from '/work/main/examples/demo/replies.mjs';
const goal = readFileSync('examples/demo/goal.txt', 'utf8').trim();
const model = modelFromProvider(scriptedModel({ replies }));
const result = await orchestrate(goal, { model, strategy: 'auction', maxDepth: 2, seed: 7, refine: { maxRounds: 3 } });
console.log(result.stoppedBy, JSON.stringify(result.tree.tasks.map(t => [t.id, t.status, t.error]), null, 1).slice(0, 2000));
