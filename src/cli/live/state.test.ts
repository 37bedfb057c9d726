import { describe, expect, it } from 'vitest';
import type { TaskforceEvent } from '../../events/types.js';
import { renderLive } from './render.js';
import { applyEvent, EMPTY_LIVE_STATE, type LiveState } from './state.js';

const usage = { inputTokens: 100, outputTokens: 20 };

function replay(events: TaskforceEvent[]): LiveState {
  return events.reduce(applyEvent, EMPTY_LIVE_STATE);
}

const RUN: TaskforceEvent[] = [
  { type: 'run.started', at: 0, runId: 'r1', goal: 'Plan a picnic', depth: 0 },
  { type: 'plan.created', at: 10, runId: 'r1', taskCount: 2, droppedEdges: [], attempts: 1 },
  { type: 'task.started', at: 11, runId: 'r1', taskId: 'food', title: 'Choose food', attempt: 1 },
  { type: 'task.started', at: 12, runId: 'r1', taskId: 'place', title: 'Choose a place', attempt: 1 },
  { type: 'recursion.spawned', at: 13, runId: 'r1', taskId: 'place', childRunId: 'r2', depth: 1 },
  { type: 'run.started', at: 13, runId: 'r2', goal: 'Choose a place', depth: 1, parentTaskId: 'place' },
  { type: 'plan.created', at: 14, runId: 'r2', taskCount: 1, droppedEdges: [], attempts: 1 },
  { type: 'task.started', at: 15, runId: 'r2', taskId: 'food', title: 'Same id, other run', attempt: 1 },
  { type: 'agent.assigned', at: 16, runId: 'r1', taskId: 'food', agent: 'researcher' },
  { type: 'strategy.decision', at: 20, runId: 'r1', taskId: 'food', strategy: 'direct', decision: { strategy: 'direct', agent: 'researcher', score: 0.75 } },
  { type: 'agent.completed', at: 20, runId: 'r1', taskId: 'food', agent: 'researcher', steps: 1, usage, costUsd: 0.002 },
  { type: 'model.call.finished', at: 20, runId: 'r1', callId: 'c1', provider: 'scripted', model: 'm', usage, costUsd: 0.002, durationMs: 5 },
  { type: 'task.completed', at: 21, runId: 'r1', taskId: 'food', durationMs: 10 },
  { type: 'task.failed', at: 22, runId: 'r2', taskId: 'food', error: 'boom', willRetry: true },
  { type: 'convergence.round', at: 30, runId: 'r1', round: 2, similarity: 0.8 },
];

describe('live view state', () => {
  it('keys tasks by run, so a sub-run task with the same id is its own row', () => {
    const state = replay(RUN);
    expect(state.tasks['r1/food']).toMatchObject({ status: 'completed', agents: ['researcher'], tokens: 120, costUsd: 0.002 });
    expect(state.tasks['r2/food']).toMatchObject({ status: 'retrying', note: 'boom', tokens: 0 });
  });

  it('hangs a sub-run under the task it works for, whichever of its two events comes first', () => {
    expect(replay(RUN).rootRunIds).toEqual(['r1']);
    const childFirst = [RUN[0]!, RUN[1]!, RUN[3]!, RUN[5]!, RUN[4]!];
    const state = replay(childFirst);
    expect(state.rootRunIds).toEqual(['r1']);
    expect(state.tasks['r1/place']!.childRunIds).toEqual(['r2']);
  });

  it('does not change the state it was given', () => {
    const before = replay(RUN.slice(0, 3));
    const snapshot = JSON.stringify(before);
    applyEvent(before, RUN[3]!);
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('renders the tree with decision, spend, nesting and totals, cut to the width', () => {
    const lines = renderLive(replay(RUN), { width: 200 });
    expect(lines[0]).toBe('▸ run "Plan a picnic" — 2 task(s) planned, 2 started');
    expect(lines[1]).toMatch(/^ {2}✓ food\s+researcher\s+direct: best match researcher \(score 0\.75\)\s+120 tok \$0\.0020$/);
    expect(lines[2]).toMatch(/^ {2}… place/);
    expect(lines[3]).toBe('    ▸ sub-run (depth 1) "Choose a place" — 1 task(s) planned, 1 started');
    expect(lines[4]).toMatch(/^ {6}↻ food/);
    expect(lines[5]).toBe('          boom');
    expect(lines).toContain('  refine round 2, similarity 0.80');
    expect(lines.at(-1)).toBe('totals: 1 model call(s) · 120 tok · $0.0020 · 30ms');
    expect(renderLive(replay(RUN), { width: 30 }).every((line) => line.length <= 30)).toBe(true);
  });

  it("charges a task's bids and votes to it, and its agent's run once", () => {
    const call = (callId: string, tokens: number, tags: { taskId?: string; agent?: string }): TaskforceEvent => ({
      type: 'model.call.finished',
      at: 30,
      runId: 'r1',
      callId,
      provider: 'scripted',
      model: 'm',
      usage: { inputTokens: tokens, outputTokens: 0 },
      costUsd: tokens / 1000,
      durationMs: 1,
      ...tags,
    });
    const state = replay([
      ...RUN.slice(0, 4),
      call('bid-ada', 30, { taskId: 'place', agent: 'ada' }),
      call('bid-bob', 40, { taskId: 'place', agent: 'bob' }),
      call('vote', 5, { taskId: 'place' }),
      call('step-ada', 100, { taskId: 'place', agent: 'ada' }),
      { type: 'agent.completed', at: 31, runId: 'r1', taskId: 'place', agent: 'ada', steps: 1, usage: { inputTokens: 100, outputTokens: 0 }, costUsd: 0.1 },
      call('synthesis', 7, {}),
    ]);
    expect(state.tasks['r1/place']).toMatchObject({ tokens: 175, agents: ['ada'] });
    expect(state.tasks['r1/place']!.costUsd).toBeCloseTo(0.175, 10);
    // The run's planning and synthesis belong to no task, but count in the totals.
    expect(state.tasks['r1/food']!.tokens).toBe(0);
    expect(state).toMatchObject({ modelCalls: 5, tokens: 182 });
  });

  it('charges an agent run whose calls came untagged (another bus, an old trace) from its agent.completed', () => {
    const state = replay([
      ...RUN.slice(0, 4),
      { type: 'model.call.finished', at: 30, runId: 'r1', callId: 'bid', provider: 'p', model: 'm', usage: { inputTokens: 30, outputTokens: 0 }, costUsd: 0, durationMs: 1, taskId: 'place', agent: 'ada' },
      { type: 'agent.completed', at: 31, runId: 'r1', taskId: 'place', agent: 'bob', steps: 2, usage: { inputTokens: 200, outputTokens: 0 }, costUsd: 0 },
    ]);
    expect(state.tasks['r1/place']!.tokens).toBe(230);
  });

  it('marks a run that ended with a cancelled task as stopped, not done', () => {
    const ended = (extra: TaskforceEvent[]) =>
      renderLive(replay([...RUN.slice(0, 4), ...extra, { type: 'run.completed', at: 40, runId: 'r1', durationMs: 40, usage, costUsd: 0 }]), { width: 200 })[0];
    expect(ended([{ type: 'task.completed', at: 30, runId: 'r1', taskId: 'food', durationMs: 5 }])).toMatch(/✓ done$/);
    expect(ended([{ type: 'task.cancelled', at: 30, runId: 'r1', taskId: 'place', reason: 'Ctrl-C' }])).toMatch(/⊘ stopped$/);
  });

  it('marks a run that completed stopped by a failed task as failed, and one stopped by a budget as stopped', () => {
    const ended = (stoppedBy: { kind: 'failure' | 'budget'; detail: string }) =>
      renderLive(replay([...RUN.slice(0, 4), { type: 'run.completed', at: 40, runId: 'r1', durationMs: 40, usage, costUsd: 0, stoppedBy }]), { width: 200 })[0];
    expect(ended({ kind: 'failure', detail: 'task "food" failed: boom' })).toMatch(/✗ failed$/);
    expect(ended({ kind: 'budget', detail: 'maxCostUsd reached' })).toMatch(/⊘ stopped$/);
  });
});
