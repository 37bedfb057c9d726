import { buildTaskTree, runTaskTree } from "/work/main/src/index.ts";

const tree = buildTaskTree({
  goal: 'Write a market report',
  tasks: [
    { id: 'research', title: 'Research', instructions: 'Collect facts', effort: 3 },
    { id: 'outline', title: 'Outline', instructions: 'Draft an outline' },
    { id: 'write', title: 'Write', instructions: 'Write the report', dependsOn: ['research', 'outline'] },
  ],
});

const result = await runTaskTree(
  tree,
  async (task, { inputs, signal, attempt }) => {
    // inputs: { research: '...', outline: '...' } for "write"
    return `${task.id} done (attempt ${attempt}) using ${Object.keys(inputs).join(', ') || 'nothing'}`;
  },
  { concurrency: 4 },
);

console.log(result.status, result.counts.completed);
console.log(result.tasks.write?.output);

export {};
