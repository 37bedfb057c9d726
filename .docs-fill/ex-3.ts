import { createTaskforce, defineAgent, modelFromProvider, scriptedModel } from "/work/main/src/index.ts";

const triage = defineAgent({
  name: 'triage',
  description: 'Sorts incoming bug reports by severity and component',
  capabilities: ['analysis', 'debugging'],
  systemPrompt: 'You triage bug reports. Reply with severity (S1-S4), component and a one-line reason.',
});
const model = modelFromProvider(scriptedModel({ replies: ['S2, checkout: paying fails for every user with a saved card.'] }));
const tf = await createTaskforce({ model, agents: [triage], builtinAgents: false });

const result = await tf.task('triage #311', 'Bug #311: "Pay now" spins forever when I use my saved Visa card.', 'triage');
console.log(result.agent, result.finishReason, result.steps.length, result.costUsd);
console.log(result.output);
await tf.close();

export {};
