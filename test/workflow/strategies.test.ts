import { describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import type { Workflow } from '../../src/workflow/types.js';
import { scripted } from '../orchestrate/helpers.js';

// A workflow's tasks are coordinated like a plan's: by whatever strategy the run uses.
const WORKFLOW: Workflow = {
  goal: 'Research owls',
  steps: [
    { parallel: [{ id: 'habitat', instructions: 'Research the habitat', capabilities: ['research'] }, { id: 'diet', instructions: 'Research the diet', capabilities: ['research'] }] },
    { repeat: { steps: [{ id: 'check', instructions: 'Check the findings', capabilities: ['research'] }], until: 'iteration >= 2', max: 3 } },
  ],
};

describe('workflows under every strategy', () => {
  it.each(['direct', 'consensus', 'hierarchical', 'auction', 'stigmergy'] as const)('%s coordinates every task instance, and its decision is on the task', async (strategy) => {
    const { options } = scripted({ plans: {}, work: ({ title }) => `Findings on ${title}.` }, { strategy });
    const result = await orchestrate(WORKFLOW, options);
    expect(result.stoppedBy).toBeUndefined();
    expect(result.tree.tasks.map((t) => [t.id, t.status])).toEqual([['habitat', 'completed'], ['diet', 'completed'], ['check', 'completed'], ['check#2', 'completed']]);
    for (const task of result.tree.tasks) {
      expect(task.decision, task.id).toMatchObject({ strategy });
      expect(task.agents.length, task.id).toBeGreaterThan(0);
    }
  });
});
