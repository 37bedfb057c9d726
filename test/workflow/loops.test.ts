import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/workflow/types.js';
import type { WorkCall } from '../orchestrate/script.js';
import { statuses, task, team, worker, workflow } from './harness.js';

// Loops: WCP-10 Arbitrary Cycles (goto), WCP-21 Structured Loop (repeat ... until), and budgets.

/** `review` rejects until its `approveAt`-th call, then answers APPROVED; `check` likewise says "again"/"ok". */
function reviewer(approveAt: number) {
  let reviews = 0;
  return worker({}, (call: WorkCall) => {
    if (call.title === 'review' || call.title === 'check') {
      reviews += 1;
      if (call.title === 'check') return reviews >= approveAt ? 'ok' : 'again';
      return reviews >= approveAt ? 'APPROVED' : `REJECTED ${reviews}`;
    }
    return `out:${call.title}`;
  });
}

const REVIEW_LOOP = (max: number): Step[] => [
  { id: 'loop', repeat: { steps: [task('draft'), task('review')], until: 'outputs.review contains "APPROVED"', max } },
  task('publish'),
];

describe('workflow patterns: loops', () => {
  it('WCP-21 Structured Loop: the body runs, then `until` is checked; rounds get ids id#2, id#3; at most `max` rounds', async () => {
    const t = team({ work: reviewer(3) });
    const result = await t.run(workflow(REVIEW_LOOP(5)));
    expect(statuses(result)).toEqual([
      ['draft', 'completed'],
      ['review', 'completed'],
      ['draft#2', 'completed'],
      ['review#2', 'completed'],
      ['draft#3', 'completed'],
      ['review#3', 'completed'],
      ['publish', 'completed'],
    ]);
    // Strictly one after another: the body is a sequence, and the next round starts after the check.
    const order = ['draft', 'review', 'draft#2', 'review#2', 'draft#3', 'review#3', 'publish'];
    for (let i = 1; i < order.length; i++) expect(t.start(order[i]!)).toBe(t.end(order[i - 1]!));
    // A new round reads the previous round's review.
    expect(t.calls.filter((c) => c.title === 'draft')[1]!.prompt).toContain('REJECTED 1');
    expect(t.stepEvents().some((e) => e.step === 'loop' && e.detail === 'until held after 3 iteration(s)')).toBe(true);

    // `until` never holds: stops after `max` rounds and goes on.
    const capped = team({ work: reviewer(99) });
    const stopped = await capped.run(workflow(REVIEW_LOOP(2)));
    expect(statuses(stopped).map(([id]) => id)).toEqual(['draft', 'review', 'draft#2', 'review#2', 'publish']);
    expect(capped.stepEvents().some((e) => e.step === 'loop' && e.detail === 'stopped at max 2 iterations')).toBe(true);
  });

  it('WCP-10 Arbitrary Cycles: goto jumps back to an earlier step while `when` holds, at most `max` times', async () => {
    const steps: Step[] = [task('prepare'), task('write'), task('check'), { id: 'again', goto: { to: 'write', when: 'outputs.check == "again"', max: 2 } }, task('done')];
    // `check` says "ok" the second time: one jump.
    const once = team({ work: reviewer(2) });
    expect(statuses(await once.run(workflow(steps))).map(([id]) => id)).toEqual(['prepare', 'write', 'check', 'write#2', 'check#2', 'done']);
    // `check` always says "again": two jumps (max), then on.
    const always = team({ work: reviewer(99) });
    const result = await always.run(workflow(steps));
    expect(statuses(result)).toEqual([
      ['prepare', 'completed'],
      ['write', 'completed'],
      ['check', 'completed'],
      ['write#2', 'completed'],
      ['check#2', 'completed'],
      ['write#3', 'completed'],
      ['check#3', 'completed'],
      ['done', 'completed'],
    ]);
    // The step jumped back to runs after the check, and reads it.
    expect(always.start('write#2')).toBe(always.end('check'));
    expect(always.calls.filter((c) => c.title === 'write')[1]!.prompt).toContain('again');
    expect(always.calls.filter((c) => c.title === 'prepare')).toHaveLength(1);
    expect(always.stepEvents().filter((e) => e.step === 'again').map((e) => e.phase)).toEqual(['completed', 'completed', 'skipped']);
  });

  it('the task after a loop reads the last round only (not every round)', async () => {
    const t = team({ work: reviewer(2) });
    await t.run(workflow(REVIEW_LOOP(5)));
    const publish = t.prompt('publish');
    expect(publish).toContain('APPROVED');
    expect(publish).not.toContain('REJECTED 1');
  });

  it('budgets hold: maxModelCalls stops a loop that would go on, partial results kept', async () => {
    const t = team({ work: reviewer(99) });
    const result = await t.run(workflow(REVIEW_LOOP(50)), { budgets: { maxModelCalls: 5 } });
    expect(result.stoppedBy).toMatchObject({ kind: 'budget', budget: 'modelCalls' });
    expect(t.provider.requests.length).toBeLessThanOrEqual(5);
    const completed = result.tree.tasks.filter((task) => task.status === 'completed').map((task) => task.id);
    expect(completed.length).toBeGreaterThanOrEqual(4);
    expect(completed.length).toBeLessThanOrEqual(5);
    expect(result.tree.tasks.some((task) => task.id === 'publish')).toBe(false);
  });
});

describe('workflow loops: rounds are asked anew', () => {
  it('a loop round whose inputs did not change (a poll) still asks the agent again, so the condition can change', async () => {
    let polls = 0;
    const t = team({ work: worker({}, (call) => (call.title === 'poll' ? (++polls >= 3 ? 'ready' : 'pending') : `out:${call.title}`)) });
    const result = await t.run(workflow([{ repeat: { steps: [task('poll', { inputs: [] })], until: 'outputs.poll == "ready"', max: 5 } }]));
    expect(statuses(result)).toEqual([
      ['poll', 'completed'],
      ['poll#2', 'completed'],
      ['poll#3', 'completed'],
    ]);
    expect(result.tree.tasks.map((x) => x.output)).toEqual(['pending', 'pending', 'ready']);
    expect(polls).toBe(3);
    expect(result.caps).toEqual([]);
  });
});
