import { defineAgent, modelFromProvider, planGoal, scriptedModel } from "/work/main/src/index.ts";

const agents = [
  defineAgent({ name: 'researcher', description: 'Finds and summarises sources.', capabilities: ['research'], systemPrompt: 'You research.' }),
  defineAgent({ name: 'writer', description: 'Writes clear prose.', capabilities: ['writing'], systemPrompt: 'You write.' }),
];
const step = (id: string, title: string, capabilities: string[], dependsOn: string[], effort: number) => ({
  id, title, instructions: `${title}.`, capabilities, dependsOn, priority: 'medium', effort, decomposable: false,
});
const model = modelFromProvider(scriptedModel({
  replies: [JSON.stringify({
    tasks: [
      step('figures', 'Collect adoption figures by country', ['research'], [], 2),
      step('trends', 'Summarise the trends', ['research'], ['figures'], 1),
      step('brief', 'Write the brief', ['writing'], ['trends', 'figures'], 2),
    ],
  })],
}));

const tree = await planGoal('Write a one-page brief on e-bike adoption in Europe', { model, agents }, { maxTasks: 12 });
for (const task of tree.tasks) console.log(task.id, '←', task.dependsOn.join(', ') || '(start)');
console.log('critical path:', tree.analysis.criticalPath.join(' → '), '| dropped:', tree.droppedEdges);

export {};
