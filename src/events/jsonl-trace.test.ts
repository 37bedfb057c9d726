import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../util/clock.js';
import { createEventBus } from './bus.js';
import { jsonlTraceSink, safeJsonStringify, TraceWriteError } from './jsonl-trace.js';

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return () => text;
}

describe('safeJsonStringify', () => {
  it('marks cycles but writes repeated, non-cyclic references in full', () => {
    const shared = { n: 1 };
    const node: Record<string, unknown> = { name: 'root', a: shared, b: shared };
    node.self = node;
    node.list = [node, shared];
    expect(JSON.parse(safeJsonStringify(node))).toEqual({
      name: 'root',
      a: { n: 1 },
      b: { n: 1 },
      self: '[Circular]',
      list: ['[Circular]', { n: 1 }],
    });
  });

  it('turns values JSON cannot hold into safe ones', () => {
    const error = Object.assign(new Error('boom', { cause: new Error('root cause') }), { code: 'E_X' });
    const value = {
      big: 10n ** 20n,
      nan: NaN,
      fn: () => 1,
      sym: Symbol('s'),
      map: new Map<unknown, unknown>([[1, 'one'], ['k', { deep: true }]]),
      set: new Set([1, 2]),
      date: new Date(0),
      error,
      get broken(): never {
        throw new Error('getter exploded');
      },
    };
    const parsed = JSON.parse(safeJsonStringify(value));
    expect(parsed).toMatchObject({
      big: '100000000000000000000',
      nan: 'NaN',
      map: { 1: 'one', k: { deep: true } },
      set: [1, 2],
      date: '1970-01-01T00:00:00.000Z',
      error: { name: 'Error', message: 'boom', code: 'E_X', cause: { message: 'root cause' } },
      broken: '[Unreadable: getter exploded]',
    });
    expect(parsed).not.toHaveProperty('fn');
    expect(parsed).not.toHaveProperty('sym');
  });

  it('cuts nesting past the depth limit instead of overflowing', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 200; i++) deep = (deep.next = {}) as Record<string, unknown>;
    expect(safeJsonStringify(root)).toContain('"[MaxDepth]"');
  });
});

describe('jsonlTraceSink', () => {
  it('writes one parseable event per line, including unserialisable payloads', async () => {
    const clock = manualClock(1000);
    const bus = createEventBus({ clock });
    const stream = new PassThrough();
    const text = collect(stream);
    const sink = jsonlTraceSink(stream);
    sink.attach(bus);
    const decision: Record<string, unknown> = { strategy: 'consensus' };
    decision.loop = decision;
    bus.emit({ type: 'task.started', taskId: 'a', title: 'A', attempt: 1 });
    bus.emit({ type: 'strategy.decision', taskId: 'a', strategy: 'consensus', decision });
    bus.child('run_1').emit({ type: 'log', level: 'info', message: 'line\nbreak' });
    await sink.close();
    const lines = text().split('\n');
    expect(lines.at(-1)).toBe(''); // ends with a newline
    const events = lines.slice(0, -1).map((line) => JSON.parse(line));
    expect(events.map((e) => e.type)).toEqual(['task.started', 'strategy.decision', 'log']);
    expect(events[1].decision).toEqual({ strategy: 'consensus', loop: '[Circular]' });
    expect(events[2]).toMatchObject({ runId: 'run_1', message: 'line\nbreak', at: 1000 });
  });

  it('writes only what the filter keeps', async () => {
    const bus = createEventBus({ clock: manualClock() });
    const stream = new PassThrough();
    const text = collect(stream);
    const sink = jsonlTraceSink(stream, { filter: (e) => e.type.startsWith('task.') });
    sink.attach(bus);
    bus.emit({ type: 'log', level: 'debug', message: 'noise' });
    bus.emit({ type: 'task.skipped', taskId: 'x', reason: 'r' });
    await sink.close();
    expect(text().trim().split('\n').map((l) => JSON.parse(l).type)).toEqual(['task.skipped']);
  });

  it('detaches on close and refuses later writes', async () => {
    const bus = createEventBus({ clock: manualClock() });
    const stream = new PassThrough();
    const text = collect(stream);
    const sink = jsonlTraceSink(stream);
    sink.attach(bus);
    await sink.close();
    bus.emit({ type: 'log', level: 'info', message: 'after close' });
    expect(text()).toBe('');
    expect(() => sink.write({ type: 'log', level: 'info', message: 'x', at: 0 })).toThrow(TraceWriteError);
    await expect(sink.close()).resolves.toBeUndefined(); // closing twice is fine
  });

  it('reports a failing stream on close, with the destination named', async () => {
    const failing = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('disk full'));
      },
    });
    const sink = jsonlTraceSink(failing, { label: 'trace.jsonl' });
    sink.write({ type: 'log', level: 'info', message: 'x', at: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    await expect(sink.close()).rejects.toThrow(/writing the trace to trace.jsonl failed: disk full/);
    expect(() => sink.write({ type: 'log', level: 'info', message: 'y', at: 0 })).toThrow(TraceWriteError);
  });

  it('leaves the stream open when endStream is false', async () => {
    const stream = new PassThrough();
    const sink = jsonlTraceSink(stream, { endStream: false });
    await sink.close();
    expect(stream.writableEnded).toBe(false);
  });
});
