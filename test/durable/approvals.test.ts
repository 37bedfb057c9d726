import { describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { resumeRun } from '../../src/api/resume.js';
import { memoryRunStore } from '../../src/store/memory-run-store.js';
import { decideApproval, pendingApprovals } from '../../src/durable/approvals.js';
import { defineAgent } from '../../src/agents/define.js';
import { scripted, AGENTS } from '../orchestrate/helpers.js';
import { firstUserText, kindOf, titleOf } from '../orchestrate/script.js';
import { manualClock } from '../../src/util/clock.js';

const PLAN = {
  goal: 'Publish the owl report',
  tasks: [
    { id: 'draft', title: 'Do draft', instructions: 'Draft it' },
    { id: 'publish', title: 'Do publish', instructions: 'Publish it', dependsOn: ['draft'], approval: true },
    { id: 'index', title: 'Do index', instructions: 'Index it' },
  ],
};

const workerTitles = (requests: readonly Parameters<typeof kindOf>[0][]) => requests.filter((r) => kindOf(r) === 'worker').map((r) => titleOf(firstUserText(r)));

describe('durable runs: approvals', () => {
  it('a task that needs approval parks the run as waiting; approve + resume finishes it, recording who and why', async () => {
    const store = memoryRunStore();
    const first = scripted({ plans: {} }, { durable: store, runId: 'run_pub', plan: PLAN });
    const waiting = await orchestrate('Publish the owl report', first.options);
    expect(waiting.stoppedBy).toMatchObject({ kind: 'waiting', taskIds: ['publish'] });
    expect(waiting.tree.tasks.map((t) => [t.id, t.status])).toEqual([['draft', 'completed'], ['publish', 'waiting'], ['index', 'completed']]);
    expect(workerTitles(first.provider.requests).sort()).toEqual(['Do draft', 'Do index']);
    expect((await store.getRun('run_pub'))?.status).toBe('waiting');
    expect(first.events.some((e) => e.type === 'approval.requested' && e.taskId === 'publish')).toBe(true);
    const pending = await pendingApprovals(store, 'run_pub');
    expect(pending.map((p) => p.subject)).toEqual([{ kind: 'task', path: '', taskId: 'publish', key: 'task:publish' }]);

    await expect(decideApproval(store, 'run_pub', 'draft', 'approved', { now: 1 })).rejects.toMatchObject({ code: 'APPROVAL_NOT_PENDING', message: expect.stringContaining('pending: publish') });
    await decideApproval(store, 'run_pub', 'publish', 'approved', { by: 'maria', reason: 'looks right', now: 2 });
    const second = scripted({ plans: {} }, { durable: store });
    const done = await resumeRun('run_pub', second.options);
    expect(done.stoppedBy).toBeUndefined();
    expect(workerTitles(second.provider.requests)).toEqual(['Do publish']);
    const decided = (await store.journal('run_pub')).find((e) => e.kind === 'approval.decided');
    expect(decided?.data).toMatchObject({ decision: 'approved', by: 'maria', reason: 'looks right' });
  });

  it('a rejection fails the task without retrying it; its dependents are skipped', async () => {
    const store = memoryRunStore();
    const plan = { ...PLAN, tasks: [...PLAN.tasks, { id: 'announce', title: 'Do announce', instructions: 'Announce', dependsOn: ['publish'] }] };
    await orchestrate('Publish the owl report', scripted({ plans: {} }, { durable: store, runId: 'run_rej', plan, failurePolicy: 'continue', retry: { maxAttempts: 3, baseDelayMs: 0 } }).options);
    await decideApproval(store, 'run_rej', 'publish', 'rejected', { by: 'li', reason: 'not yet', now: 1 });
    const second = scripted({ plans: {} }, { durable: store });
    const result = await resumeRun('run_rej', second.options);
    const publish = result.tree.tasks.find((t) => t.id === 'publish')!;
    expect(publish).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'APPROVAL_REJECTED' } });
    expect(publish.error!.message).toContain('rejected by li: not yet');
    expect(result.tree.tasks.find((t) => t.id === 'announce')?.status).toBe('skipped');
    expect(workerTitles(second.provider.requests)).toEqual([]);
    // A rejection is a decision, not a dead letter.
    expect(await store.listDeadLetters({ runId: 'run_rej' })).toEqual([]);
  });

  it('with a timeout, the run waits in-process and applies the default decision when no one decides', async () => {
    const clock = manualClock();
    const store = memoryRunStore();
    const plan = { ...PLAN, tasks: PLAN.tasks.map((t) => (t.id === 'publish' ? { ...t, approval: { timeoutMs: 60_000, default: 'approve' as const } } : t)) };
    const run = orchestrate('Publish the owl report', scripted({ plans: {} }, { durable: store, runId: 'run_to', plan, clock }).options);
    // Let the run reach the approval, then let the timeout pass.
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    clock.advance(60_000);
    const result = await run;
    expect(result.stoppedBy).toBeUndefined();
    const decided = (await store.journal('run_to')).find((e) => e.kind === 'approval.decided');
    expect(decided?.data).toMatchObject({ decision: 'approved', by: 'timeout' });
  });

  it('an agent that requires approval parks every task assigned to it, in sub-runs too', async () => {
    const store = memoryRunStore();
    const careful = defineAgent({ name: 'dee', description: 'Careful editor', capabilities: ['editing'], systemPrompt: 'You are dee.', approval: true });
    const plans = { 'Do part': [{ id: 'edit', capabilities: ['editing'] }, { id: 'facts', capabilities: ['research'] }], owls: [{ id: 'part', decomposable: true }] };
    const first = scripted({ plans }, { durable: store, runId: 'run_deep', agents: [...AGENTS, careful] });
    const waiting = await orchestrate('Tell me about owls', first.options);
    expect(waiting.stoppedBy?.kind).toBe('waiting');
    const pending = await pendingApprovals(store, 'run_deep');
    expect(pending.map((p) => p.subject)).toEqual([{ kind: 'agent', path: 'part', taskId: 'edit', name: 'dee', key: 'agent:edit:dee' }]);
    await decideApproval(store, 'run_deep', 'part/edit', 'approved', { by: 'ops', now: 1 });
    const second = scripted({ plans }, { durable: store, agents: [...AGENTS, careful] });
    const done = await resumeRun('run_deep', second.options);
    expect(done.stoppedBy).toBeUndefined();
    // Only the edit task's agent ran; the sub-run's plan and its other task came from the journal.
    expect(second.provider.requests.map(kindOf).filter((k) => k === 'planner')).toEqual([]);
    expect(workerTitles(second.provider.requests)).toEqual(['Do edit']);
  });

  it('without a durable run, approval is a configuration error naming the task', async () => {
    const result = orchestrate('Publish the owl report', scripted({ plans: {} }, { plan: PLAN }).options);
    const settled = await result;
    const publish = settled.tree.tasks.find((t) => t.id === 'publish')!;
    expect(publish.error).toMatchObject({ code: 'CONFIG_ERROR' });
    expect(publish.error!.message).toContain('task "publish" requires approval, which needs a durable run');
  });
});
