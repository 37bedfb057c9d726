import { BudgetExceededError, createTaskforce, modelFromProvider, scriptedModel } from "/work/main/src/index.ts";

const model = modelFromProvider(scriptedModel({ replies: ['First answer.', 'Second answer.'] }));
const tf = await createTaskforce({ model, budgets: { maxModelCalls: 1 } });
console.log((await tf.task('one', 'Say something.', 'generalist')).output);
try {
  await tf.task('two', 'Say something else.', 'generalist');
} catch (error) {
  if (error instanceof BudgetExceededError) console.log(error.code, error.message);
}
await tf.close();

export {};
