import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TaskforceEvent } from '../../events/types.js';
import { assignLanes, buildRunView } from './run-view.js';

const usage = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens });

/** A run with a task `a`, and a task `b` that spawned a sub-run with one task `c`. */
const NESTED: TaskforceEvent[] = [
  { type: 'run.started', at: 0, runId: 'r1', goal: 'Top goal', depth: 0 },
  { type: 'model.call.started', at: 0, runId: 'r1', callId: 'p', provider: 'x', model: 'm' },
  { type: 'model.call.finished', at: 10, runId: 'r1', callId: 'p', provider: 'x', model: 'm', usage: usage(100, 10), costUsd: 0.1, durationMs: 10 },
  { type: 'task.started', at: 10, runId: 'r1', taskId: 'a', title: 'Task A', attempt: 1 },
  { type: 'task.started', at: 10, runId: 'r1', taskId: 'b', title: 'Task B', attempt: 1 },
  { type: 'recursion.spawned', at: 10, runId: 'r1', taskId: 'b', childRunId: 'r2', depth: 1 },
  { type: 'run.started', at: 10, runId: 'r2', goal: 'Task B', depth: 1, parentTaskId: 'b' },
  { type: 'model.call.started', at: 10, runId: 'r1', callId: 'a1', provider: 'x', model: 'm', taskId: 'a', agent: 'writer' },
  { type: 'task.started', at: 12, runId: 'r2', taskId: 'c', title: 'Task C', attempt: 1 },
  { type: 'model.call.started', at: 12, runId: 'r2', callId: 'c1', provider: 'x', model: 'm', taskId: 'c', agent: 'analyst' },
  { type: 'model.call.finished', at: 20, runId: 'r1', callId: 'a1', provider: 'x', model: 'm', usage: usage(50, 5), costUsd: 0.02, durationMs: 10, taskId: 'a', agent: 'writer' },
  { type: 'agent.assigned', at: 20, runId: 'r1', taskId: 'a', agent: 'writer', strategy: 'auction' },
  { type: 'strategy.decision', at: 20, runId: 'r1', taskId: 'a', strategy: 'auction', decision: { winner: 'writer', assigned: 'writer' } },
  { type: 'task.completed', at: 20, runId: 'r1', taskId: 'a', durationMs: 10 },
  { type: 'model.call.finished', at: 22, runId: 'r2', callId: 'c1', provider: 'x', model: 'm', usage: usage(30, 3), costUsd: 0.03, durationMs: 10, taskId: 'c', agent: 'analyst' },
  { type: 'task.failed', at: 22, runId: 'r2', taskId: 'c', error: 'boom', willRetry: false },
  { type: 'run.failed', at: 23, runId: 'r2', error: 'task c failed' },
  { type: 'task.failed', at: 23, runId: 'r1', taskId: 'b', error: 'sub-run failed', willRetry: false },
  { type: 'run.completed', at: 30, runId: 'r1', durationMs: 30, usage: usage(180, 18), costUsd: 0.15, stoppedBy: { kind: 'failure', detail: 'task b failed' } },
];

describe('buildRunView', () => {
  it('nests a sub-run under the task that spawned it', () => {
    const view = buildRunView(NESTED);
    expect(view.roots.map((run) => run.runId)).toEqual(['r1']);
    const [a, b] = view.roots[0]!.tasks;
    expect(a).toMatchObject({ key: 'r1/a', title: 'Task A', status: 'completed', agents: ['writer'], strategy: 'auction', startedAt: 10, endedAt: 20 });
    expect(b).toMatchObject({ key: 'r1/b', status: 'failed', error: 'sub-run failed', childRunIds: ['r2'] });
    expect(view.runs.get('r2')).toMatchObject({ parent: { runId: 'r1', taskId: 'b' }, depth: 1, status: 'failed', detail: 'task c failed' });
    expect(view.runs.get('r2')!.tasks[0]).toMatchObject({ key: 'r2/c', status: 'failed', error: 'boom' });
    expect(view.roots[0]).toMatchObject({ status: 'stopped', detail: 'failure: task b failed' });
    expect([view.start, view.end]).toEqual([0, 30]);
  });

  it("counts a task's own calls, and adds its sub-runs' to its subtree", () => {
    const view = buildRunView(NESTED);
    const [a, b] = view.roots[0]!.tasks;
    expect(a!.own).toEqual({ calls: 1, inputTokens: 50, outputTokens: 5, costUsd: 0.02 });
    expect(b!.own).toEqual({ calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect(b!.subtree).toEqual({ calls: 1, inputTokens: 30, outputTokens: 3, costUsd: 0.03 });
  });

  it("gives a run its untagged calls (planning, synthesis) as its own, and everything below as its subtree", () => {
    const top = buildRunView(NESTED).roots[0]!;
    expect(top.own).toEqual({ calls: 1, inputTokens: 100, outputTokens: 10, costUsd: 0.1 });
    expect(top.subtree.calls).toBe(3);
    expect(top.subtree.inputTokens).toBe(180);
    expect(top.subtree.costUsd).toBeCloseTo(0.15);
  });

  it('keeps work a cut-off trace never finished as running, and creates tasks seen only through later events', () => {
    const cut = NESTED.slice(0, 10);
    const view = buildRunView(cut);
    expect(view.roots[0]!.status).toBe('running');
    expect(view.roots[0]!.tasks.map((t) => t.status)).toEqual(['running', 'running']);
    const open = view.calls.find((c) => c.callId === 'a1');
    expect(open?.status).toBe('running');
    expect(open?.endedAt).toBeUndefined();
    const late = buildRunView([{ type: 'agent.assigned', at: 5, runId: 'r9', taskId: 'z', agent: 'coder' }]);
    expect(late.roots[0]!.tasks[0]).toMatchObject({ key: 'r9/z', title: 'z', agents: ['coder'] });
  });

  it('places a finished call whose start is not in the trace by its duration', () => {
    const view = buildRunView([{ type: 'model.call.finished', at: 50, runId: 'r', callId: 'k', provider: 'x', model: 'm', usage: usage(1, 1), costUsd: 0, durationMs: 20 }]);
    expect(view.calls[0]).toMatchObject({ startedAt: 30, endedAt: 50, status: 'finished' });
  });

  it("takes the top run's answer from its answer.delta events: pieces of a draft join, a later draft replaces it", () => {
    const delta = (runId: string, draft: number, text: string): TaskforceEvent => ({ type: 'answer.delta', at: 40, runId, draft, text });
    const view = buildRunView([...NESTED, delta('r1', 1, 'First '), delta('r1', 1, 'draft'), delta('r2', 1, 'not the top run'), delta('r1', 2, 'Refined '), delta('r1', 2, '[a].')]);
    expect(view.answer).toBe('Refined [a].');
    expect(buildRunView(NESTED).answer).toBeUndefined();
  });

  it('builds nothing from no events', () => {
    expect(buildRunView([])).toMatchObject({ roots: [], calls: [], start: 0, end: 0 });
  });
});

describe('assignLanes', () => {
  it('puts overlapping intervals in different lanes and reuses a lane once it is free', () => {
    expect(assignLanes([{ start: 0, end: 10 }, { start: 5, end: 15 }, { start: 10, end: 20 }, { start: 0, end: 3 }])).toEqual([0, 1, 0, 1]);
  });

  const intervalsOf = (minLength: number) =>
    fc.array(
      fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: minLength, max: 50 })).map(([start, length]) => ({ start, end: start + length })),
      { maxLength: 40 },
    );
  const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

  it('never gives two overlapping intervals the same lane', () => {
    fc.assert(
      fc.property(intervalsOf(0), (list) => {
        const lanes = assignLanes(list);
        for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) if (lanes[i] === lanes[j]) expect(overlap(list[i]!, list[j]!)).toBe(false);
      }),
    );
  });

  it('uses exactly as many lanes as the most intervals running at one moment', () => {
    fc.assert(
      fc.property(intervalsOf(1), (list) => {
        const lanes = assignLanes(list);
        const used = list.length === 0 ? 0 : Math.max(...lanes) + 1;
        const busiest = Math.max(0, ...list.map((a) => list.filter((b) => b.start <= a.start && a.start < b.end).length));
        expect(used).toBe(busiest);
      }),
    );
  });

  it('does not change its input', () => {
    fc.assert(
      fc.property(intervalsOf(0), (list) => {
        const copy = structuredClone(list);
        assignLanes(list);
        expect(list).toEqual(copy);
      }),
    );
  });
});
