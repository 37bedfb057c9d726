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
});

describe('plainView', () => {
  it('prints one line per notable event and nothing for model calls', () => {
    const out: string[] = [];
    const view = plainView({ write: (t) => out.push(t) });
    view.update(RUN_STARTED);
    view.update({ type: 'model.call.started', at: 1, callId: 'c', provider: 'p', model: 'm' });
    view.update(started('a', 1500));
    expect(out).toEqual(['[   0ms] run started: "g"\n', '[  1.5s] task a started: a\n']);
  });
});
