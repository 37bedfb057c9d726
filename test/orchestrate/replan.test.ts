import { describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { resumeRun } from '../../src/api/resume.js';
import { ConfigError } from '../../src/errors/taskforce-error.js';
import { BudgetExceededError } from '../../src/errors/budget-errors.js';
import { memoryRunStore } from '../../src/store/memory-run-store.js';
import { direct } from '../../strategies/direct.js';
import type { Strategy } from '../../strategies/strategy.js';
import { scripted } from './helpers.js';
import { firstUserText, kindOf, titleOf, type PlannedTask, type ReplanCall, type Script, type WorkCall } from './script.js';

/** `facts` runs first (longest path), then `fetch`, which fails; `analyse` needs it, `write` needs both. */
const PLANS: Script['plans'] = {
  report: [
    { id: 'facts', effort: 3 },
    { id: 'fetch' },
    { id: 'analyse', dependsOn: ['fetch'] },
    { id: 'write', dependsOn: ['facts', 'analyse'] },
  ],
};

/** Fetching from the source always fails; every other task works. */
function work({ agent, title }: WorkCall): string {
  if (title.startsWith('Do fetch') && !title.includes('mirror')) throw new Error('the source is down');
  return `${agent} did ${title}.`;
}

/** Replace the failed fetch with `<failed>-mirror`, and rebuild analyse and write on it. */
function mirror(call: ReplanCall): PlannedTask[] {
  const id = `${call.failedTaskId}-mirror`;
  return [{ id }, { id: 'analyse', dependsOn: [id] }, { id: 'write', dependsOn: ['facts', 'analyse'] }];
}

/** The default strategy, counting the tasks it coordinates (a model call a repeat guard answers is still counted). */
function counting(): { readonly strategy: Strategy; readonly runs: string[] } {
  const inner = direct();
  const runs: string[] = [];
  return { runs, strategy: { name: 'counting', coordinate: (context) => (runs.push(context.task.id), inner.coordinate(context)) } };
}

const workerTitles = (requests: readonly Parameters<typeof kindOf>[0][]) =>
  requests.filter((r) => kindOf(r) === 'worker').map((r) => titleOf(firstUserText(r)));
const replanRequests = (requests: readonly Parameters<typeof kindOf>[0][]) => requests.filter((r) => kindOf(r) === 'replanner');

describe('orchestrate: re-planning when a task fails', () => {
  it('replaces a failed task and its dependents; the dependents run on the replacement, completed tasks are not run again', async () => {
    const calls: ReplanCall[] = [];
    const { strategy, runs } = counting();
    const { options, provider, events } = scripted(
      { plans: PLANS, work, replan: (call) => (calls.push(call), mirror(call)) },
      { concurrency: 1, replan: { maxReplans: 1 }, strategy },
    );

    const result = await orchestrate('Write a report', options);

    expect(result.stoppedBy).toBeUndefined();
    expect(result.tree.tasks.map((t) => [t.id, t.status])).toEqual([
      ['facts', 'completed'],
      ['fetch', 'failed'],
      ['fetch-mirror', 'completed'],
      ['analyse', 'completed'],
      ['write', 'completed'],
    ]);
    // Each task ran once: facts was carried into the re-planned schedule, not run again.
    expect(workerTitles(provider.requests)).toEqual(['Do facts', 'Do fetch', 'Do fetch-mirror', 'Do analyse', 'Do write']);
    expect(runs).toEqual(['facts', 'fetch', 'fetch-mirror', 'analyse', 'write']);
    // The planner saw the goal, the completed task and its output, the failure and what to replace.
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ failedTaskId: 'fetch', replace: ['fetch', 'analyse', 'write'], completed: ['facts'] });
    expect(calls[0]!.error).toContain('the source is down');
    expect(calls[0]!.prompt).toContain('Write a report');
    expect(calls[0]!.prompt).toContain('did Do facts.');
    // The replacement's dependents ran on its output.
    const analyse = provider.requests.find((r) => kindOf(r) === 'worker' && titleOf(firstUserText(r)) === 'Do analyse')!;
    expect(firstUserText(analyse)).toMatch(/<input task="fetch-mirror">\n\w+ did Do fetch-mirror\.\n<\/input>/);
    const write = provider.requests.find((r) => kindOf(r) === 'worker' && titleOf(firstUserText(r)) === 'Do write')!;
    expect(firstUserText(write)).toContain('<input task="facts">');
    // The carried task keeps its record: its decision, and its one call.
    const facts = result.tree.tasks[0]!;
    expect(facts.decision).toBeDefined();
    expect(facts.usage.own.modelCalls).toBe(1);
    expect(facts.agents).toHaveLength(1);

    expect(result.tree.replans).toEqual([
      {
        failedTaskId: 'fetch',
        error: { message: expect.stringContaining('the source is down'), code: expect.any(String) },
        replacedTaskIds: ['fetch', 'analyse', 'write'],
        newTaskIds: ['fetch-mirror', 'analyse', 'write'],
        round: 1,
        outcome: 'replaced',
      },
    ]);
    expect(events.filter((e) => e.type === 'plan.replanned')).toEqual([
      expect.objectContaining({ failedTaskId: 'fetch', replacedTaskIds: ['fetch', 'analyse', 'write'], newTaskIds: ['fetch-mirror', 'analyse', 'write'], round: 1 }),
    ]);
    // The answer merges what completed, the replacements included.
    expect(result.output).toContain('[fetch-mirror]');
    expect(result.output).toContain('[facts]');
    expect(result.metrics.tasks).toMatchObject({ completed: 4, failed: 1, skipped: 0 });
  });

  it('is off by default: the failure stands and its dependents are skipped', async () => {
    const { options, provider } = scripted({ plans: PLANS, work, replan: mirror }, { concurrency: 1 });
    const result = await orchestrate('Write a report', options);
    expect(result.tree.tasks.map((t) => [t.id, t.status])).toEqual([
      ['facts', 'completed'],
      ['fetch', 'failed'],
      ['analyse', 'skipped'],
      ['write', 'skipped'],
    ]);
    expect(result.stoppedBy).toMatchObject({ kind: 'failure', taskId: 'fetch' });
    expect(replanRequests(provider.requests)).toHaveLength(0);
    expect(result.tree.replans).toBeUndefined();
  });

  it('bounds the re-plans by maxReplans, and records the one it could not make', async () => {
    // Every fetch fails, the replacements too.
    const failing = ({ agent, title }: WorkCall) => {
      if (title.startsWith('Do fetch')) throw new Error(`${title} failed`);
      return `${agent} did ${title}.`;
    };
    const chain = (call: ReplanCall): PlannedTask[] => {
      const id = `${call.failedTaskId}-x`;
      return [{ id }, { id: 'analyse', dependsOn: [id] }, { id: 'write', dependsOn: ['facts', 'analyse'] }];
    };
    const { options, provider } = scripted({ plans: PLANS, work: failing, replan: chain }, { concurrency: 1, replan: { maxReplans: 2 } });

    const result = await orchestrate('Write a report', options);

    expect(replanRequests(provider.requests)).toHaveLength(2);
    expect(result.tree.replans?.map((r) => [r.failedTaskId, r.outcome, r.round])).toEqual([
      ['fetch', 'replaced', 1],
      ['fetch-x', 'replaced', 2],
      ['fetch-x-x', 'exhausted', 3],
    ]);
    expect(result.tree.replans?.[2]).toMatchObject({ replacedTaskIds: ['fetch-x-x', 'analyse', 'write'], newTaskIds: [], reason: expect.stringContaining('maxReplans 2') });
    expect(result.tree.tasks.map((t) => [t.id, t.status])).toEqual([
      ['facts', 'completed'],
      ['fetch', 'failed'],
      ['fetch-x', 'failed'],
      ['fetch-x-x', 'failed'],
      ['analyse', 'skipped'],
      ['write', 'skipped'],
    ]);
    expect(result.stoppedBy).toMatchObject({ kind: 'failure', taskId: 'fetch-x-x' });
    expect(workerTitles(provider.requests).filter((t) => t === 'Do facts')).toHaveLength(1);
  });

  it('leaves the failure as it was when the re-plan stays invalid, with the reason recorded', async () => {
    const { options, provider, events } = scripted(
      { plans: PLANS, work, replan: () => [{ id: 'fetch-mirror', dependsOn: ['nowhere'] }] },
      { concurrency: 1, replan: { maxReplans: 3 } },
    );

    const result = await orchestrate('Write a report', options);

    // Asked once and re-asked twice (the planner's default maxReasks), then given up.
    expect(replanRequests(provider.requests)).toHaveLength(3);
    expect(events.filter((e) => e.type === 'plan.invalid')).toHaveLength(3);
    expect(result.tree.tasks.map((t) => [t.id, t.status])).toEqual([
      ['facts', 'completed'],
      ['fetch', 'failed'],
      ['analyse', 'skipped'],
      ['write', 'skipped'],
    ]);
    expect(result.tree.replans).toEqual([
      expect.objectContaining({ failedTaskId: 'fetch', outcome: 'invalid', round: 1, newTaskIds: [], reason: expect.stringContaining('nowhere') }),
    ]);
    expect(result.stoppedBy).toMatchObject({ kind: 'failure', taskId: 'fetch' });
    expect(events.some((e) => e.type === 'plan.replanned')).toBe(false);
  });

  it('re-asks with the problems when a reply reuses a taken id, and accepts the fixed reply', async () => {
    const calls: ReplanCall[] = [];
    const { options } = scripted(
      {
        plans: PLANS,
        work,
        // The first reply reuses the failed task's id, which stays in the record.
        replan: (call) => (calls.push(call), call.attempt === 1 ? [{ id: 'fetch' }, { id: 'write', dependsOn: ['facts', 'fetch'] }] : mirror(call)),
      },
      { concurrency: 1, replan: { maxReplans: 1 } },
    );
    const result = await orchestrate('Write a report', options);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2]);
    expect(calls[1]!.prompt).toContain('task id "fetch" is taken');
    expect(result.tree.replans?.map((r) => r.outcome)).toEqual(['replaced']);
    expect(result.tree.tasks.filter((t) => t.id === 'fetch')).toHaveLength(1);
  });

  it('does not re-plan a task stopped by a budget', async () => {
    const budgetStop = ({ agent, title }: WorkCall) => {
      if (title === 'Do fetch') throw new BudgetExceededError('modelCalls', 10, 10);
      return `${agent} did ${title}.`;
    };
    const { options, provider } = scripted({ plans: PLANS, work: budgetStop, replan: mirror }, { concurrency: 1, replan: { maxReplans: 2 } });
    const result = await orchestrate('Write a report', options);
    expect(result.stoppedBy?.kind).toBe('budget');
    expect(replanRequests(provider.requests)).toHaveLength(0);
    expect(result.tree.replans).toBeUndefined();
    expect(result.tree.tasks.map((t) => t.id)).toEqual(['facts', 'fetch', 'analyse', 'write']);
  });

  it('rejects a maxReplans that is not an integer of at least 1', async () => {
    for (const replan of [{ maxReplans: 0 }, { maxReplans: 1.5 }, {}, null]) {
      const { options, provider } = scripted({ plans: PLANS }, { replan: replan as never });
      await expect(orchestrate('Write a report', options)).rejects.toBeInstanceOf(ConfigError);
      expect(provider.calls).toBe(0);
    }
  });

  it('a durable run resumed after a re-plan runs the journaled re-plan without asking the planner again', async () => {
    const store = memoryRunStore();
    const controller = new AbortController();
    const crashing = (call: WorkCall) => {
      if (call.title === 'Do analyse') controller.abort('simulated crash');
      return work(call);
    };
    const first = scripted(
      { plans: PLANS, work: crashing, replan: mirror },
      { durable: store, runId: 'run_replan', signal: controller.signal, concurrency: 1, replan: { maxReplans: 1 } },
    );
    const stopped = await orchestrate('Write a report', first.options);
    expect(stopped.stoppedBy?.kind).toBe('cancelled');
    expect(replanRequests(first.provider.requests)).toHaveLength(1);
    // A replaced failure is not a dead letter.
    expect(await store.listDeadLetters({ runId: 'run_replan' })).toHaveLength(0);

    const second = scripted({ plans: PLANS, work, replan: () => { throw new Error('the planner must not be asked again'); } }, { durable: store, concurrency: 1 });
    const resumed = await resumeRun('run_replan', second.options);

    const kinds = second.provider.requests.map((r) => kindOf(r));
    expect(kinds).not.toContain('planner');
    expect(kinds).not.toContain('replanner');
    // facts and fetch-mirror completed in the first process; analyse was in flight.
    expect(workerTitles(second.provider.requests)).toEqual(['Do analyse', 'Do write']);
    expect(resumed.stoppedBy).toBeUndefined();
    expect(resumed.tree.tasks.map((t) => [t.id, t.status])).toEqual([
      ['facts', 'completed'],
      ['fetch', 'failed'],
      ['fetch-mirror', 'completed'],
      ['analyse', 'completed'],
      ['write', 'completed'],
    ]);
    expect(resumed.tree.replans?.map((r) => [r.failedTaskId, r.outcome])).toEqual([['fetch', 'replaced']]);
    // The failed task's spend comes back with the re-plan.
    expect(resumed.tree.tasks[1]!.usage.own.modelCalls).toBe(stopped.tree.tasks[1]!.usage.own.modelCalls);
    // A replaced failure does not fail the run.
    expect((await store.getRun('run_replan'))?.status).toBe('completed');
  });
});
