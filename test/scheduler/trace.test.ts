import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus, createJsonlTraceWriter } from '../../src/events/index.js';
import { runTaskTree } from '../../src/scheduler/index.js';
import { manualClock } from '../../src/util/clock.js';
import { drive } from './drive.js';
import { testTree } from './tree.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('a scheduled run traced to a JSONL file', () => {
  it('writes every scheduler event as one JSON line, flushed by close()', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskforce-trace-'));
    dirs.push(dir);
    const path = join(dir, 'run.trace.jsonl');
    const clock = manualClock();
    const bus = createEventBus({ clock });
    const trace = createJsonlTraceWriter(path);
    trace.attach(bus.child('run_7'));
    const tree = testTree([{ id: 'a' }, { id: 'b', deps: ['a'] }, { id: 'c', deps: ['a'] }, { id: 'bad', deps: ['b'] }, { id: 'last', deps: ['bad'] }]);
    const result = await drive(
      clock,
      runTaskTree(
        tree,
        async (task, { signal }) => {
          await clock.sleep(10, signal);
          if (task.id === 'bad') throw new Error('nope');
          return task.id;
        },
        { clock, events: bus.child('run_7'), failurePolicy: 'continue' },
      ),
    );
    await trace.close();

    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    const events = lines.map((line, i) => {
      try {
        return JSON.parse(line) as { type: string; taskId?: string; runId?: string; at: number };
      } catch (error) {
        throw new Error(`line ${i + 1} is not JSON: ${line}`, { cause: error });
      }
    });
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(count('task.started')).toBe(4);
    expect(count('task.completed')).toBe(result.counts.completed);
    expect(count('task.failed')).toBe(1);
    expect(events.find((e) => e.type === 'task.skipped')).toMatchObject({ taskId: 'last', reason: 'dependency "bad" failed' });
    expect(count('resource.allocated')).toBe(count('resource.released'));
    expect(events.every((e) => e.runId === 'run_7')).toBe(true);
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort((x, y) => x - y));
  });
});
