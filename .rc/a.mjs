import { createTaskforce, modelFromProvider, scriptedModel } from 'taskforce';

const model = modelFromProvider(scriptedModel({ replies: ['Use a parameterised query: db.query("… WHERE id = $1", [id]).'] }));
const tf = await createTaskforce({ model });
const result = await tf.task('review query', 'Review: db.query("SELECT * FROM u WHERE id=" + id)', 'reviewer');
console.log(result.agent, result.output, result.usage); // reviewer Use a parameterised query: … { inputTokens: 430, outputTokens: 22 }
await tf.close();
