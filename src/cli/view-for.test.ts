import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { TaskforceEvent } from '../events/types.js';
import { manualClock } from '../util/clock.js';
import { stripColour } from './colour.js';
import type { CliIo } from './io.js';
import { viewFor } from './view-for.js';

/** A terminal on stderr that records what is written and emits 'resize' as process.stderr does. */
function terminal(columns: number) {
  const emitter = new EventEmitter();
  const stream = {
    isTTY: true,
    columns,
    rows: 40,
    written: [] as string[],
    write(text: string) {
      stream.written.push(text);
      return true;
    },
    on: (event: 'resize', fn: () => void) => emitter.on(event, fn),
    off: (event: 'resize', fn: () => void) => emitter.off(event, fn),
    resize(to: number) {
      stream.columns = to;
      emitter.emit('resize');
    },
    listeners: () => emitter.listenerCount('resize'),
  };
  return stream;
}

const RUN_STARTED: TaskforceEvent = { type: 'run.started', at: 0, runId: 'r1', goal: 'g'.repeat(70), depth: 0 };

describe('viewFor on a terminal', () => {
  it('redraws at the new width when the terminal emits resize, and stops listening on finish', () => {
    const stderr = terminal(120);
    const io = { stderr, stdout: stderr, env: { TERM: 'xterm' }, cwd: '/', interrupt: new AbortController().signal, clock: manualClock() } as CliIo;
    const view = viewFor(io, { json: false })!;
    view.update(RUN_STARTED);
    expect(stderr.listeners()).toBe(1);
    const before = stderr.written.length;

    stderr.resize(50);

    expect(stderr.written.length).toBe(before + 1);
    const frame = stderr.written.at(-1)!.replace(/^\r\x1b\[\d+A\x1b\[0J/, '').split('\n').slice(0, -1);
    expect(frame.every((line) => stripColour(line).length <= 49)).toBe(true);
    expect(frame[0]).toMatch(/…$/);
    view.finish();
    expect(stderr.listeners()).toBe(0);
  });

  it('paints status marks on a terminal, and not with NO_COLOR', () => {
    for (const [env, coloured] of [
      [{ TERM: 'xterm' }, true],
      [{ TERM: 'xterm', NO_COLOR: '1' }, false],
    ] as const) {
      const stderr = terminal(120);
      const view = viewFor({ stderr, stdout: stderr, env, cwd: '/', interrupt: new AbortController().signal, clock: manualClock() } as CliIo, { json: false })!;
      view.update(RUN_STARTED);
      view.finish();
      expect(/\x1b\[\d+m/.test(stderr.written.join(''))).toBe(coloured);
    }
  });
});
