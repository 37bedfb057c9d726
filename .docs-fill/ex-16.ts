import { z } from "zod";
import { createTaskforce, defineAgent, defineTool, modelFromProvider, scriptedModel } from "/work/main/src/index.ts";

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: async ({ a, b }) => a + b,
});
const model = modelFromProvider(scriptedModel({
  replies: [
    { toolCalls: [{ name: 'add', input: { a: 2, b: 'three' } }] },
    { toolCalls: [{ name: 'add', input: { a: 2, b: 3 } }] },
    '2 + 3 = 5',
  ],
}));
const tf = await createTaskforce({
  model,
  tools: [add],
  agents: [defineAgent({ name: 'calculator', description: 'Does sums', systemPrompt: 'Use the add tool.', tools: ['add'] })],
});

const result = await tf.task('sum', 'What is 2 + 3?', 'calculator');
for (const step of result.steps) {
  for (const call of step.toolCalls) console.log(`step ${step.index}:`, call.name, JSON.stringify(call.input), '→', call.output);
}
console.log(result.output, `(${result.steps.length} model calls)`);
await tf.close();

export {};
