import { describe, expect, it } from 'vitest';
import type { TaskforceEvent } from '../../events/types.js';
import { manualClock } from '../../util/clock.js';
import { plainView, ttyView } from './views.js';

const started = (taskId: string, at: number): TaskforceEvent => ({ type: 'task.started', at, runId: 'r1', taskId, title: taskId, attempt: 1 });
const RUN_STARTED: TaskforceEvent = { type: 'run.started', at: 0, runId: 'r1', goal: 'g', depth: 0 };

describe('ttyView', () => {
  it('draws at once, then at most once per interval, moving the cursor up over the last drawing', async () => {
    const clock = manualClock();
    const out: string[] = [];
    const view = ttyView({ write: (t) => out.push(t) }, { width: 80, clock, intervalMs: 100 });
    view.update(RUN_STARTED);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('\x1b[?25l');
    const firstLines = out[0]!.split('\n').length - 1;
    view.update(started('a', 1));
    view.update(started('b', 2));
    expect(out).toHaveLength(1);
    await clock.advance(100);
    expect(out).toHaveLength(2);
    expect(out[1]!.startsWith(`\r\x1b[${firstLines}A\x1b[0J`)).toBe(true);
    expect(out[1]).toContain('… a');
    expect(out[1]).toContain('… b');
  });

  it('draws the final state on finish, cancels the pending redraw and shows the cursor again', async () => {
    const clock = manualClock();
    const out: string[] = [];
    const view = ttyView({ write: (t) => out.push(t) }, { width: 80, clock, intervalMs: 100 });
    view.update(RUN_STARTED);
    view.update(started('a', 1));
    view.finish();
    expect(out).toHaveLength(3);
    expect(out[1]).toContain('… a');
    expect(out[2]).toBe('\x1b[?25h');
    await clock.advance(500);
    expect(out).toHaveLength(3);
  });

  it('prints a message above the tree and redraws the tree below it, so the next redraw keeps the message', async () => {
    const clock = manualClock();
    const out: string[] = [];
    const view = ttyView({ write: (t) => out.push(t) }, { width: 80, clock, intervalMs: 100 });
    view.update(RUN_STARTED);
    view.update(started('a', 1));
    const frameLines = out[0]!.split('\n').length - 1;
    view.message('Ctrl-C: cancelling');
    expect(out).toHaveLength(2);
    // Up over the old frame, clear, the message, then the tree (with the pending update) again.
    expect(out[1]!.startsWith(`\r\x1b[${frameLines}A\x1b[0JCtrl-C: cancelling\n▸ run "g"`)).toBe(true);
    expect(out[1]).toContain('… a');
    // The pending redraw was folded into this one; the next one moves up over the tree only.
    await clock.advance(100);
    expect(out).toHaveLength(2);
    view.update(started('b', 200));
    const treeLines = out[1]!.split('\n').length - 2;
    expect(out[2]!.startsWith(`\r\x1b[${treeLines}A\x1b[0J▸ run`)).toBe(true);
  });

  it('cuts the tree to the terminal height, keeping the totals, so the cursor can always reach the top', () => {
    const clock = manualClock();
    const out: string[] = [];
    const view = ttyView({ write: (t) => out.push(t) }, { width: 80, height: 6, clock, intervalMs: 0 });
    view.update(RUN_STARTED);
    for (let i = 0; i < 10; i++) view.update(started(`t${i}`, i + 1));
    const frame = out.at(-1)!.replace(/^\r\x1b\[\d+A\x1b\[0J/, '').split('\n').slice(0, -1);
    expect(frame).toHaveLength(5);
    expect(frame[0]).toMatch(/^▸ run/);
    expect(frame[3]).toMatch(/^ {2}… 8 more line\(s\)/);
    expect(frame[4]).toMatch(/^totals:/);
  });
});

describe('ttyView on a resize', () => {
  const decided = (taskId: string, at: number): TaskforceEvent => ({
    type: 'strategy.decision',
    at,
    runId: 'r1',
    taskId,
    strategy: 'direct',
    decision: { summary: 'best match researcher (score 0.93) over writer, analyst and critic, after a long deliberation' },
  } as unknown as TaskforceEvent);

  it('lays the tree out again at the new width and moves up over the rows the old drawing takes now', () => {
    const clock = manualClock();
    const out: string[] = [];
    const view = ttyView({ write: (t) => out.push(t) }, { width: 159, clock, intervalMs: 0 });
    view.update(RUN_STARTED);
    view.update(started('a', 1));
    view.update(decided('a', 2));
    const wide = out.at(-1)!.replace(/^\r\x1b\[\d+A\x1b\[0J/, '').split('\n').slice(0, -1);
    const rowsAt80 = wide.reduce((rows, line) => rows + Math.max(1, Math.ceil(line.length / 80)), 0);
    view.resize!(79);
    const frame = out.at(-1)!;
    expect(frame.startsWith(`\r\x1b[${rowsAt80}A\x1b[0J`)).toBe(true);
    const lines = frame.replace(/^\r\x1b\[\d+A\x1b\[0J/, '').split('\n').slice(0, -1);
    expect(lines.every((line) => line.length <= 79)).toBe(true);
  });

  it('does nothing after finish', () => {
    const clock = manualClock();
    const out: string[] = [];
    const view = ttyView({ write: (t) => out.push(t) }, { width: 80, clock, intervalMs: 0 });
    view.update(RUN_STARTED);
    view.finish();
    const written = out.length;
    view.resize!(60);
    expect(out).toHaveLength(written);
  });
});

describe('plainView', () => {
  it('prints one line per notable event and nothing for model calls', () => {
    const out: string[] = [];
    const view = plainView({ write: (t) => out.push(t) });
    view.update(RUN_STARTED);
    view.update({ type: 'model.call.started', at: 1, callId: 'c', provider: 'p', model: 'm' });
    view.update(started('a', 1500));
    expect(out).toEqual(['[   0ms] run started: "g"\n', '[  1.5s] task a started: a\n']);
    view.message('Ctrl-C: cancelling');
    expect(out.at(-1)).toBe('Ctrl-C: cancelling\n');
  });
});
