import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors/taskforce-error.js';
import { parseTrace, readTrace } from './read-trace.js';

const line = (type: string, at: number) => JSON.stringify({ type, at, runId: 'r1' });

describe('parseTrace', () => {
  it('reads one event per line, skipping blank lines', () => {
    expect(parseTrace(`${line('run.started', 1)}\n\n${line('run.completed', 2)}\n`).map((e) => e.type)).toEqual(['run.started', 'run.completed']);
  });

  it('drops a torn last line (no newline after it, not JSON): the write a crash cut short', () => {
    expect(parseTrace(`${line('run.started', 1)}\n{"type":"task.sta`)).toHaveLength(1);
  });

  it('refuses a bad line in the middle, naming the file and the line', () => {
    expect(() => parseTrace(`${line('run.started', 1)}\nnot json\n${line('run.completed', 2)}\n`, 'run.jsonl')).toThrow(/^run\.jsonl:2: not a JSON line/);
    // A complete last line (newline after it) that is not JSON is not torn.
    expect(() => parseTrace(`${line('run.started', 1)}\n{"type":\n`, 'run.jsonl')).toThrow(ConfigError);
  });

  it('refuses JSON that is not an event', () => {
    expect(() => parseTrace('{"hello":1}\n', 'x.jsonl')).toThrow(/x\.jsonl:1: not a Taskforce event/);
    expect(() => parseTrace('[1,2]\n', 'x.jsonl')).toThrow(/not a Taskforce event/);
  });
});

describe('readTrace', () => {
  it('reads a trace file, and names a file it cannot read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskforce-trace-'));
    try {
      await writeFile(join(dir, 't.jsonl'), `${line('run.started', 1)}\n`);
      expect(await readTrace(join(dir, 't.jsonl'))).toEqual([{ type: 'run.started', at: 1, runId: 'r1' }]);
      await expect(readTrace(join(dir, 'missing.jsonl'))).rejects.toThrow(/cannot read the trace .*missing\.jsonl/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
