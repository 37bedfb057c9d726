import { createTaskforce, modelFromProvider, scriptedModel } from "/work/main/src/index.ts";

const model = modelFromProvider(scriptedModel({ replies: ['Use a parameterised query: db.query("… WHERE id = $1", [id]).'] }));
const tf = await createTaskforce({ model }); // or { model: 'anthropic:claude-haiku-4-5' }
const result = await tf.task('review query', 'Review: db.query("SELECT * FROM u WHERE id=" + id)', 'reviewer');
console.log(result.agent, result.finishReason, result.steps.length);
console.log(result.output);
await tf.close();

export {};
