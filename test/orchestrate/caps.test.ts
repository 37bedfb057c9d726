import { describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { ModelApiError } from '../../src/errors/model-errors.js';
import { systemClock } from '../../src/util/clock.js';
import { scripted } from './helpers.js';
import { kindOf } from './script.js';

describe('orchestrate: agent cap and repeat guard', () => {
  it('stops spawning at limits.maxAgents, reports the cap and keeps what finished', async () => {
    const { options, events } = scripted(
      { plans: { bikes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] } },
      { limits: { maxAgents: 2 }, concurrency: 1 },
    );

    const result = await orchestrate('Write about bikes', options);

    expect(result.tree.tasks.map((t) => [t.id, t.status])).toEqual([
      ['a', 'completed'],
      ['b', 'completed'],
      ['c', 'failed'],
    ]);
    expect(result.tree.tasks[2]!.error?.code).toBe('RECURSION_CAPPED');
    expect(result.stoppedBy).toMatchObject({ kind: 'cap', cap: 'maxAgents' });
    expect(result.caps).toEqual([expect.objectContaining({ cap: 'maxAgents', taskId: 'c', depth: 0 })]);
    expect(result.metrics.agentsSpawned).toBe(2);
    // The finished work is still merged.
    expect(result.tree.synthesis?.citations.flatMap((c) => c.taskIds)).toEqual(['a', 'b']);
    expect(events.some((e) => e.type === 'recursion.capped' && e.cap === 'maxAgents' && e.taskId === 'c')).toBe(true);
  });

  it('holds the agent cap across levels: sub-run agents count against the same limit', async () => {
    const { options } = scripted(
      {
        plans: {
          L1: [{ id: 'x' }, { id: 'y', dependsOn: ['x'] }],
          bikes: [{ id: 'a' }, { id: 'big', decomposable: true, instructions: 'Go to L1.', dependsOn: ['a'] }],
        },
      },
      { limits: { maxAgents: 2 } },
    );

    const result = await orchestrate('Write about bikes', options);

    const sub = result.tree.tasks[1]!.subRuns[0]!;
    expect(sub.tasks.map((t) => t.status)).toEqual(['completed', 'failed']);
    expect(result.caps).toEqual([expect.objectContaining({ cap: 'maxAgents', runId: sub.runId, taskId: 'y', depth: 1 })]);
    expect(result.stoppedBy).toMatchObject({ kind: 'cap', cap: 'maxAgents' });
    expect(result.metrics.agentsSpawned).toBe(2);
  });

  it('does not run the same agent on the same prompt twice in one run: the earlier answer is reused', async () => {
    const same = { title: 'Count the spokes', instructions: 'Count   the spokes.', agent: 'ada' };
    const { options, provider, events } = scripted(
      { plans: {} },
      {
        concurrency: 1,
        plan: { goal: 'Bikes', tasks: [{ id: 'dup-1', ...same }, { id: 'dup-2', ...same, instructions: 'count the SPOKES.' }] },
      },
    );

    const result = await orchestrate('Write about bikes', options);

    expect(result.tree.tasks.map((t) => [t.id, t.status, t.output])).toEqual([
      ['dup-1', 'completed', 'ada did Count the spokes.'],
      ['dup-2', 'completed', 'ada did Count the spokes.'],
    ]);
    expect(result.caps).toEqual([expect.objectContaining({ cap: 'repeat', agent: 'ada', taskId: 'dup-2', detail: expect.stringContaining('reused') })]);
    expect(result.tree.tasks[1]!.caps).toEqual(result.caps);
    expect(result.tree.tasks[1]!.usage.own.modelCalls).toBe(0);
    expect(result.metrics.agentsSpawned).toBe(1);
    expect(provider.requests.filter((r) => kindOf(r) === 'worker')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'recursion.capped').map((e) => e.type === 'recursion.capped' && e.cap)).toEqual(['repeat']);
  });

  it('refuses the same request while the first is still running (it cannot be reused yet)', async () => {
    const same = { title: 'Count the spokes', instructions: 'Count the spokes.', agent: 'ada' };
    const { options, provider } = scripted(
      { plans: {} },
      { failurePolicy: 'continue', plan: { goal: 'Bikes', tasks: [{ id: 'dup-1', ...same }, { id: 'dup-2', ...same }] } },
    );

    const result = await orchestrate('Write about bikes', options);

    expect(result.tree.tasks.map((t) => [t.id, t.status, t.error?.code])).toEqual([
      ['dup-1', 'completed', undefined],
      ['dup-2', 'failed', 'RECURSION_CAPPED'],
    ]);
    expect(result.caps).toEqual([expect.objectContaining({ cap: 'repeat', taskId: 'dup-2', detail: expect.stringContaining('already working') })]);
    expect(provider.requests.filter((r) => kindOf(r) === 'worker')).toHaveLength(1);
  });

  it('retries a failed task with the same agent and prompt: a failed attempt is not a repeat', async () => {
    let failures = 0;
    const { options } = scripted(
      {
        plans: { bikes: [{ id: 'a' }] },
        work: ({ agent }) => (failures++ === 0 ? { error: new ModelApiError({ provider: 'scripted', status: 400, message: 'bad request' }) } : `${agent} did it.`),
      },
      { clock: systemClock(), retry: { maxAttempts: 2, baseDelayMs: 1, jitter: 0 } },
    );

    const result = await orchestrate('Write about bikes', options);

    expect(result.tree.tasks[0]).toMatchObject({ status: 'completed', attempts: 2, output: 'ada did it.' });
    expect(result.caps).toEqual([]);
  });

  it('stops delegation ping-pong: a goal delegated again inside its own sub-run is refused, not re-run', async () => {
    const { options, provider } = scripted({
      plans: { Ping: [{ id: 'p1' }], bikes: [{ id: 'a0' }] },
      work: ({ toolResults, prompt }) => {
        if (toolResults.length > 0) return `answered after: ${toolResults[0]}`;
        return { toolCalls: [{ name: 'delegate', input: { goal: prompt.includes('Overall goal: Ping pong') ? 'Ping  PONG' : 'Ping pong' } }] };
      },
    });

    const result = await orchestrate('Write about bikes', options);

    const sub = result.tree.tasks[0]!.subRuns;
    expect(sub).toHaveLength(1);
    const inner = sub[0]!.tasks[0]!;
    expect(inner.subRuns).toEqual([]);
    expect(inner.output).toMatch(/^answered after: Error: tool "delegate" failed: .*repeat cap reached/);
    expect(result.caps).toEqual([expect.objectContaining({ cap: 'repeat', agent: 'ada', runId: sub[0]!.runId, taskId: 'p1', depth: 1 })]);
    expect(provider.requests.filter((r) => kindOf(r) === 'planner')).toHaveLength(2);
    expect(result.stoppedBy).toBeUndefined();
  });

  it('answers a repeated delegation of a finished goal with the earlier result', async () => {
    const { options } = scripted({
      plans: { Frames: [{ id: 'f1' }], bikes: [{ id: 'a0' }, { id: 'b0', dependsOn: ['a0'] }] },
      work: ({ toolResults, title }) => {
        if (title.startsWith('Do f')) return 'frames are steel';
        if (toolResults.length > 0) return `got: ${toolResults[0]}`;
        return { toolCalls: [{ name: 'delegate', input: { goal: 'Frames survey' } }] };
      },
    });

    const result = await orchestrate('Write about bikes', options);

    const [a0, b0] = result.tree.tasks;
    expect(a0!.subRuns).toHaveLength(1);
    expect(b0!.subRuns).toHaveLength(0);
    expect(b0!.output).toBe(`got: Not run again: this goal was already worked on in this run (${a0!.subRuns[0]!.runId}). Its result:\n\nframes are steel`);
    expect(result.caps.map((c) => [c.cap, c.taskId])).toEqual([['repeat', 'b0']]);
  });
});
