import { readFileSync } from "node:fs";
import { orchestrate, modelFromProvider, scriptedModel } from "/work/main/src/index.ts";
import { replies } from "/work/main/examples/demo/replies.mjs"; // the demo's hand-written replies

const goal = readFileSync('examples/demo/goal.txt', 'utf8').trim();
const model = modelFromProvider(scriptedModel({ replies })); // or 'anthropic:claude-sonnet-5-5'
const result = await orchestrate(goal, { model, strategy: 'auction', maxDepth: 2, seed: 7, refine: { maxRounds: 3 } });

console.log(result.output); // the synthesized answer, citing [task-id]s
console.log(result.tree.tasks.map((t) => `${t.id}:${t.status}`).join(' '));
console.log(result.metrics.modelCalls, 'model calls;', result.metrics.maxDepthReached, 'level of sub-runs;', 'refine', result.tree.refine?.reason);

export {};
