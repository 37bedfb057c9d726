import { describe, expect, it } from 'vitest';
import type { TaskforceEvent } from '../../src/events/types.js';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { buildRunView } from '../../src/observe/viewer/run-view.js';
import { renderRunHtml } from '../../src/observe/viewer/render-html.js';
import type { Workflow } from '../../src/workflow/types.js';
import { scripted } from '../orchestrate/helpers.js';

describe('the run viewer on a workflow run', () => {
  it("shows the loop's rounds as tasks and the branches taken as the run's flow, in order", async () => {
    let reviews = 0;
    const workflow: Workflow = {
      goal: 'Write about owls',
      steps: [
        { repeat: { steps: [{ id: 'review', instructions: 'Review' }], until: "outputs.review == 'OK'", max: 3 } },
        { id: 'gate', choice: { branches: [{ label: 'ship', when: 'true', steps: [{ id: 'ship', instructions: 'Ship' }] }] } },
      ],
    };
    const { options, events } = scripted({ plans: {}, work: ({ title }) => (title === 'review' ? (++reviews === 2 ? 'OK' : 'again') : 'shipped') });
    await orchestrate(workflow, options);
    const view = buildRunView(events as TaskforceEvent[]);
    const run = view.roots[0]!;
    expect(run.tasks.map((t) => [t.taskId, t.status])).toEqual([['review', 'completed'], ['review#2', 'completed'], ['ship', 'completed']]);
    expect(run.flow.map((f) => [f.step, f.phase, f.detail])).toEqual([
      ['repeat', 'completed', 'until held after 2 iteration(s)'],
      ['gate', 'completed', 'took ship'],
    ]);
    const html = renderRunHtml(events as TaskforceEvent[]);
    expect(html).toContain('workflow flow (2)');
    expect(html).toContain('took ship');
  });
});
