import { describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { resumeRun } from '../../src/api/resume.js';
import { memoryRunStore } from '../../src/store/memory-run-store.js';
import { markForRetry } from '../../src/durable/dead-letters.js';
import { scripted } from '../orchestrate/helpers.js';
import { systemClock } from '../../src/util/clock.js';
import { kindOf, titleOf, firstUserText } from '../orchestrate/script.js';

const PLAN = { owls: [{ id: 'facts' }, { id: 'habitat' }, { id: 'summary', dependsOn: ['facts', 'habitat'] }] };

describe('durable runs: resume', () => {
  it('a cancelled run resumes without re-planning or re-running completed tasks, and ends with the same answer', async () => {
    const store = memoryRunStore();
    const controller = new AbortController();
    const first = scripted({ plans: PLAN, work: ({ agent, title }) => {
      if (title === 'Do summary') controller.abort('simulated crash');
      return `${agent} did ${title}.`;
    } }, { durable: store, runId: 'run_owls', signal: controller.signal, concurrency: 1 });
    const stopped = await orchestrate('Tell me about owls', first.options);
    expect(stopped.stoppedBy?.kind).toBe('cancelled');
    expect((await store.getRun('run_owls'))?.status).toBe('cancelled');

    const second = scripted({ plans: PLAN }, { durable: store, concurrency: 1 });
    const resumed = await resumeRun('run_owls', second.options);
    expect(resumed.stoppedBy).toBeUndefined();
    const kinds = second.provider.requests.map((r) => [kindOf(r), kindOf(r) === 'worker' ? titleOf(firstUserText(r)) : '']);
    // No planner call, no call for the two tasks that completed; the summary runs again (it was in flight).
    expect(kinds).toEqual([['worker', 'Do summary'], ['synthesizer', '']]);
    expect(resumed.durable).toMatchObject({ runId: 'run_owls', resumed: true, restoredTasks: 2 });
    expect(resumed.tree.tasks.map((t) => t.status)).toEqual(['completed', 'completed', 'completed']);

    const uninterrupted = await orchestrate('Tell me about owls', scripted({ plans: PLAN }, { concurrency: 1 }).options);
    expect(resumed.output).toBe(uninterrupted.output);
    expect(resumed.metrics.modelCalls).toBe(uninterrupted.metrics.modelCalls);
    expect((await store.getRun('run_owls'))?.status).toBe('completed');

    // A finished run answers from its journal.
    const third = scripted({ plans: PLAN }, { durable: store });
    const again = await resumeRun('run_owls', third.options);
    expect(third.provider.requests).toHaveLength(0);
    expect(again.output).toBe(resumed.output);
  });

  it('a task that exhausted its retries is a dead letter; dlq retry runs it (and its dependents) within the run', async () => {
    const store = memoryRunStore();
    let broken = true;
    const work = ({ agent, title }: { agent: string; title: string }) => {
      if (title === 'Do habitat' && broken) throw new Error('habitat source is down');
      return `${agent} did ${title}.`;
    };
    const first = scripted({ plans: PLAN, work }, { durable: store, runId: 'run_dlq', clock: systemClock(), retry: { maxAttempts: 2, baseDelayMs: 0, jitter: 0 }, failurePolicy: 'continue' });
    const failed = await orchestrate('Tell me about owls', first.options);
    expect(failed.tree.tasks.map((t) => [t.id, t.status])).toEqual([['facts', 'completed'], ['habitat', 'failed'], ['summary', 'skipped']]);
    const letters = await store.listDeadLetters({ runId: 'run_dlq' });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ id: 'run_dlq:habitat', taskId: 'habitat', attempts: 2, status: 'open', error: { code: 'TASK_ERROR' } });

    // A plain resume does not run the failed task again.
    const plain = scripted({ plans: PLAN, work }, { durable: store, clock: systemClock() });
    const still = await resumeRun('run_dlq', plain.options);
    expect(still.tree.tasks.find((t) => t.id === 'habitat')?.error?.code).toBe('TASK_FAILED_EARLIER');
    expect(plain.provider.requests.filter((r) => kindOf(r) === 'worker')).toHaveLength(0);

    broken = false;
    await markForRetry(store, 'run_dlq:habitat', 0);
    const retry = scripted({ plans: PLAN, work }, { durable: store, clock: systemClock() });
    const fixed = await resumeRun('run_dlq', retry.options);
    expect(fixed.tree.tasks.map((t) => t.status)).toEqual(['completed', 'completed', 'completed']);
    expect(retry.provider.requests.filter((r) => kindOf(r) === 'worker').map((r) => titleOf(firstUserText(r)))).toEqual(['Do habitat', 'Do summary']);
    expect((await store.getDeadLetter('run_dlq:habitat'))?.status).toBe('retried');
  });

  it('a new durable run without a runId gets an id unique in its store, even with seeded ids', async () => {
    const store = memoryRunStore();
    const a = await orchestrate('Tell me about owls', scripted({ plans: PLAN }, { durable: store }).options);
    const b = await orchestrate('Tell me about owls', scripted({ plans: PLAN }, { durable: store }).options);
    expect(a.durable?.runId).toMatch(/^run_[0-9a-f]{12}$/);
    expect(b.durable?.runId).not.toBe(a.durable?.runId);
    expect(b.durable?.resumed).toBe(false);
    expect((await store.listRuns()).map((r) => r.status)).toEqual(['completed', 'completed']);
  });
});
