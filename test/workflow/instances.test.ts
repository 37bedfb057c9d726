import { describe, expect, it } from 'vitest';
import { decideApproval } from '../../src/durable/approvals.js';
import { systemClock } from '../../src/util/clock.js';
import { memoryRunStore } from '../../src/store/memory-run-store.js';
import type { Step } from '../../src/workflow/types.js';
import { node, statuses, task, team, worker, workflow } from './harness.js';

// WCP-14 Multiple Instances with a priori Run-Time Knowledge, typed outputs, and WCP-16 Deferred Choice.

const LIST_SCHEMA = { type: 'object', properties: { topics: { type: 'array', items: { type: 'string' } } }, required: ['topics'] };

describe('workflow patterns: multiple instances and deferred choice', () => {
  it('WCP-14 Multiple Instances with a priori Run-Time Knowledge: one instance per item of a list a task produced, at most `concurrency` at once', async () => {
    const t = team({
      work: worker({ scan: 100 }, (call) =>
        call.title === 'list' ? 'Here you are:\n```json\n{"topics": ["owls", "bats", "moths", "cats", "foxes"]}\n```' : call.title === 'scan' ? `scanned ${/The item to work on: "(\w+)"/.exec(call.prompt)?.[1]}` : `out:${call.title}`,
      ),
    });
    const steps: Step[] = [
      task('list', { output: LIST_SCHEMA }),
      { id: 'each', for_each: { in: 'outputs.list.topics', concurrency: 2, steps: [task('scan')] } },
      task('summary'),
    ];
    const result = await t.run(workflow(steps));
    expect(statuses(result)).toEqual([
      ['list', 'completed'],
      ['scan[0]', 'completed'],
      ['scan[1]', 'completed'],
      ['scan[2]', 'completed'],
      ['scan[3]', 'completed'],
      ['scan[4]', 'completed'],
      ['summary', 'completed'],
    ]);
    expect(['owls', 'bats', 'moths', 'cats', 'foxes'].map((_, i) => node(result, `scan[${i}]`).output)).toEqual(['scanned owls', 'scanned bats', 'scanned moths', 'scanned cats', 'scanned foxes']);
    // Never more than 2 in flight: three waves of 100 ms after the list.
    expect(t.maxInFlight()).toBe(2);
    const listed = t.end('list');
    expect([0, 1, 2, 3, 4].map((i) => t.start(`scan[${i}]`) - listed)).toEqual([0, 0, 100, 100, 200]);
    // The join after the instances waits for all of them and reads every output.
    expect(t.start('summary')).toBe(t.end('scan[4]'));
    for (const topic of ['owls', 'bats', 'moths', 'cats', 'foxes']) expect(t.prompt('summary')).toContain(`scanned ${topic}`);
  });

  it('a typed output that does not match its schema fails the task with WORKFLOW_OUTPUT_INVALID after its retries', async () => {
    const t = team({ work: worker({}, (call) => (call.title === 'list' ? '{"topics": "not a list"}' : `out:${call.title}`)) });
    const result = await t.run(workflow([task('list', { output: LIST_SCHEMA, retry: { maxAttempts: 3 } }), task('after')]));
    expect(result.stoppedBy).toMatchObject({ kind: 'failure', taskId: 'list' });
    expect(statuses(result)).toEqual([['list', 'failed']]);
    const list = node(result, 'list');
    expect(list.attempts).toBe(3);
    expect(list.error).toMatchObject({ code: 'WORKFLOW_OUTPUT_INVALID' });
    expect(list.error?.message).toContain('topics');
    // Each attempt is a new request: the agent is told the schema, then why its last answer was rejected.
    const asked = t.calls.filter((c) => c.title === 'list');
    expect(asked).toHaveLength(3);
    expect(asked[0]!.prompt).toContain('"required":["topics"]');
    expect(asked[1]!.prompt).toContain('Your previous answer (attempt 1) was rejected');
    expect(asked[2]!.prompt).toContain('Your previous answer (attempt 2) was rejected');
    expect(t.calls.some((c) => c.title === 'after')).toBe(false);
  });

  it('WCP-16 Deferred Choice (timers): the trigger that happens first wins, the other branch never runs', async () => {
    const t = team();
    const result = await t.run(
      workflow([
        task('ask'),
        {
          id: 'wait',
          race: [
            { after: 5_000, label: 'give-up', steps: [task('escalate')] },
            { after: 1_000, label: 'remind', steps: [task('reminder')] },
          ],
        },
        task('after'),
      ]),
    );
    expect(statuses(result)).toEqual([
      ['ask', 'completed'],
      ['reminder', 'completed'],
      ['after', 'completed'],
    ]);
    expect(t.start('reminder')).toBe(t.end('ask') + 1_000);
    expect(t.calls.some((c) => c.title === 'escalate')).toBe(false);
    expect(t.stepEvents().some((e) => e.step === 'wait' && e.detail === 'remind happened first')).toBe(true);
    // The losing timer was withdrawn: the run did not wait it out.
    expect(t.clock.now()).toBeLessThan(5_000);
  });

  it('WCP-16 Deferred Choice (approval): in a durable run, an approval decided before the timer wins the race', async () => {
    const store = memoryRunStore();
    const decisions: Promise<unknown>[] = [];
    const t = team(
      {},
      {
        durable: store,
        runId: 'run_race',
        // Wall time: the decision comes from outside the run (as from `taskforce approve`), which polls for it.
        clock: systemClock(),
        onEvent: (event) => {
          if (event.type === 'approval.requested') decisions.push(decideApproval(store, 'run_race', 'gate', 'approved', { by: 'ops', now: 0 }));
        },
      },
    );
    const began = Date.now();
    const result = await t.run(
      workflow([
        task('draft'),
        {
          id: 'gate',
          race: [
            { approval: true, label: 'approved', steps: [task('ship')] },
            { after: 60_000, label: 'expired', steps: [task('expire')] },
          ],
        },
      ]),
    );
    await Promise.all(decisions);
    expect(decisions).toHaveLength(1);
    expect(result.stoppedBy).toBeUndefined();
    expect(statuses(result)).toEqual([
      ['draft', 'completed'],
      ['ship', 'completed'],
    ]);
    expect(t.calls.some((c) => c.title === 'expire')).toBe(false);
    expect(Date.now() - began).toBeLessThan(30_000);
    expect(t.stepEvents().some((e) => e.step === 'gate' && e.detail === 'approved happened first')).toBe(true);
  });

  it('WCP-16 Deferred Choice (approval): undecided, the timer wins', async () => {
    const t = team({}, { durable: memoryRunStore(), runId: 'run_race_timeout' });
    const result = await t.run(
      workflow([
        {
          id: 'gate',
          race: [
            { approval: true, label: 'approved', steps: [task('ship')] },
            { after: 60_000, label: 'expired', steps: [task('expire')] },
          ],
        },
      ]),
    );
    expect(statuses(result)).toEqual([['expire', 'completed']]);
    expect(t.start('expire')).toBe(60_000);
  });
});
