import { describe, expect, it } from 'vitest';
import type { AgentRunResult } from '../agents/types.js';
import { createEventBus } from '../events/bus.js';
import type { TaskforceEvent } from '../events/types.js';
import { manualClock } from '../util/clock.js';
import { RecursionCapError } from '../errors/recursion-errors.js';
import { createRecursionGuard, trajectoryHash } from './guard.js';

function site(depth = 0, taskId = 't1') {
  const events = createEventBus({ clock: manualClock() });
  const seen: TaskforceEvent[] = [];
  events.on((e) => seen.push(e));
  return { site: { runId: 'run_1', taskId, depth, events }, seen };
}

const result = (output: string): AgentRunResult => ({
  output,
  agent: 'ada',
  usage: { inputTokens: 10, outputTokens: 5 },
  costUsd: 0.01,
  steps: [],
  durationMs: 3,
  finishReason: 'final',
});

describe('trajectoryHash', () => {
  it('is the same for the same agent and a prompt differing only in case and spacing', () => {
    expect(trajectoryHash('ada', 'Count  the\nSpokes')).toBe(trajectoryHash('ada', 'count the spokes'));
  });
  it('differs by agent and by wording', () => {
    expect(trajectoryHash('ada', 'count the spokes')).not.toBe(trajectoryHash('bob', 'count the spokes'));
    expect(trajectoryHash('ada', 'count the spokes')).not.toBe(trajectoryHash('ada', 'count the wheels'));
  });
});

describe('createRecursionGuard', () => {
  it('counts admitted agent runs and refuses past maxAgents with a recursion.capped event', () => {
    const guard = createRecursionGuard({ maxDepth: 3, maxAgents: 2 });
    const { site: s, seen } = site();
    guard.admitAgent(s, 'ada', 'one');
    guard.admitAgent(s, 'ada', 'two');
    expect(() => guard.admitAgent(s, 'ada', 'three')).toThrow(RecursionCapError);
    expect(guard.agentsSpawned).toBe(2);
    expect(guard.agentCapReached).toMatchObject({ cap: 'maxAgents', agent: 'ada', taskId: 't1' });
    expect(seen).toEqual([expect.objectContaining({ type: 'recursion.capped', cap: 'maxAgents', taskId: 't1' })]);
  });

  it('reuses a finished identical run without spending, and refuses one still running', () => {
    const guard = createRecursionGuard({ maxDepth: 3, maxAgents: 10 });
    const { site: s } = site();
    const first = guard.admitAgent(s, 'ada', 'Count the spokes');
    if (first.kind !== 'run') throw new Error('expected a run');
    expect(() => guard.admitAgent(s, 'ada', 'count the spokes')).toThrow(/already working on the same request/);
    first.ticket.done(result('36 spokes'));
    const again = guard.admitAgent(s, 'ada', 'count  the spokes');
    expect(again).toMatchObject({ kind: 'reuse', result: { output: '36 spokes', costUsd: 0, usage: { inputTokens: 0, outputTokens: 0 } } });
    expect(guard.agentsSpawned).toBe(1);
    expect(guard.caps.map((c) => c.cap)).toEqual(['repeat', 'repeat']);
  });

  it('forgets a released (failed) run, so a retry is admitted', () => {
    const guard = createRecursionGuard({ maxDepth: 3, maxAgents: 10 });
    const { site: s } = site();
    const first = guard.admitAgent(s, 'ada', 'p');
    if (first.kind !== 'run') throw new Error('expected a run');
    first.ticket.release();
    expect(guard.admitAgent(s, 'ada', 'p').kind).toBe('run');
    expect(guard.caps).toEqual([]);
  });

  it('admits sub-runs down to maxDepth and refuses deeper ones', () => {
    const guard = createRecursionGuard({ maxDepth: 2, maxAgents: 10 });
    expect('ticket' in guard.admitSubRun(site(0).site, 'goal a')).toBe(true);
    expect('ticket' in guard.admitSubRun(site(1).site, 'goal b')).toBe(true);
    const refused = guard.admitSubRun(site(2).site, 'goal c');
    expect(refused).toEqual({ refused: expect.objectContaining({ cap: 'maxDepth', depth: 2 }) });
  });

  it('refuses a goal already run (or the top-level goal) and remembers finished results', () => {
    const guard = createRecursionGuard({ maxDepth: 5, maxAgents: 10 });
    guard.registerGoal('Write about bikes', 'run_1');
    expect(guard.admitSubRun(site(0).site, 'write about  BIKES', 'ada')).toEqual({ refused: expect.objectContaining({ cap: 'repeat', agent: 'ada' }) });
    const admitted = guard.admitSubRun(site(0).site, 'Frames');
    expect('ticket' in admitted).toBe(true);
    guard.noteGoalResult('Frames', 'run_2', 'steel');
    expect(guard.earlierResult('frames')).toEqual({ runId: 'run_2', output: 'steel' });
    expect('refused' in guard.admitSubRun(site(1).site, 'Frames')).toBe(true);
  });
});
