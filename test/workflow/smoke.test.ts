import { describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { scripted } from '../orchestrate/helpers.js';
import type { Workflow } from '../../src/workflow/types.js';

describe('orchestrate(workflow)', () => {
  it('runs steps with a loop and a choice through the strategy, and lists the task instances that ran', async () => {
    let drafts = 0;
    const workflow: Workflow = {
      goal: 'Write about owls',
      steps: [
        { id: 'draft', instructions: 'Draft it' },
        { repeat: { steps: [{ id: 'review', instructions: 'Review the draft' }], until: "outputs.review contains 'OK'", max: 3 } },
        { choice: { branches: [{ when: "len(outputs.draft) > 3", steps: [{ id: 'publish', instructions: 'Publish' }] }], otherwise: [{ id: 'hold', instructions: 'Hold' }] } },
      ],
    };
    const { options, events } = scripted({ plans: {}, work: ({ title }) => (title === 'review' ? (++drafts >= 2 ? 'OK now' : 'needs work') : `did ${title}`) });
    const result = await orchestrate(workflow, options);
    expect(result.stoppedBy).toBeUndefined();
    expect(result.tree.tasks.map((t) => [t.id, t.status])).toEqual([['draft', 'completed'], ['review', 'completed'], ['review#2', 'completed'], ['publish', 'completed']]);
    expect(events.filter((e) => e.type === 'workflow.step' && e.phase === 'completed').map((e) => (e as { detail?: string }).detail)).toEqual(
      expect.arrayContaining(['until held after 2 iteration(s)', 'took branch 1']),
    );
  });
});
