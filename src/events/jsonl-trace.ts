import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { TaskforceError } from '../errors/taskforce-error.js';
import type { EventBus } from './bus.js';
import type { TaskforceEvent } from './types.js';

/** Where events go when they leave the process. Small on purpose: write, attach, close. */
export interface TraceSink {
  /** Writes one event. After `close()` (or a stream error), it throws TraceWriteError. */
  write(event: TaskforceEvent): void;
  /** Subscribes to a bus; returns the unsubscribe function. `close()` unsubscribes every bus. */
  attach(bus: EventBus): () => void;
  /** Unsubscribes, flushes what was written, and ends the stream. Rejects if the stream failed. */
  close(): Promise<void>;
}

/** A trace could not be written (the stream failed, or the sink was already closed). */
export class TraceWriteError extends TaskforceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRACE_WRITE_ERROR', message, options);
  }
}

/** The writable side a JSONL sink needs: a Node stream (`fs.WriteStream`, `process.stdout`, a `PassThrough`...). */
export interface JsonlStream {
  write(chunk: string): boolean;
  end(): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  readonly writableFinished?: boolean;
}

export interface JsonlTraceOptions {
  /** Only events this returns true for are written. */
  readonly filter?: (event: TaskforceEvent) => boolean;
  /** Whether `close()` ends the stream; default true (false suits `process.stdout`). */
  readonly endStream?: boolean;
  /** Where to name the destination in errors; default "stream". */
  readonly label?: string;
}

/**
 * A sink that writes one JSON object per line to `stream`. Values JSON cannot hold are made safe:
 * cycles become `"[Circular]"`, bigints strings, errors `{ name, message, code?, stack? }`, Maps and
 * Sets objects and arrays, functions and symbols are dropped, so one odd `strategy.decision` cannot
 * break a trace.
 *
 * @example
 * ```ts
 * const sink = jsonlTraceSink(process.stdout, { endStream: false });
 * sink.attach(runtime.events);
 * // ... run ...
 * await sink.close();
 * ```
 */
export function jsonlTraceSink(stream: JsonlStream, options: JsonlTraceOptions = {}): TraceSink {
  const label = options.label ?? 'stream';
  const detach = new Set<() => void>();
  let failure: TraceWriteError | undefined;
  let closing: Promise<void> | undefined;
  stream.on('error', (error) => {
    failure ??= new TraceWriteError(`writing the trace to ${label} failed: ${error.message}`, { cause: error });
  });

  const sink: TraceSink = {
    write(event) {
      if (failure) throw failure;
      if (closing) throw new TraceWriteError(`the trace to ${label} is closed; event "${event.type}" was not written`);
      if (options.filter && !options.filter(event)) return;
      stream.write(`${safeJsonStringify(event)}\n`);
    },
    attach(bus) {
      // A bus swallows listener errors (reporting them to its hook), so a failing trace never stops a run.
      const off = bus.on((event) => sink.write(event));
      const entry = () => {
        off();
        detach.delete(entry);
      };
      detach.add(entry);
      return entry;
    },
    close() {
      closing ??= (async () => {
        for (const off of [...detach]) off();
        if (failure) throw failure;
        if (options.endStream === false) return;
        if (stream.writableFinished) return;
        const finished = once(stream as unknown as NodeJS.EventEmitter, 'finish');
        stream.end();
        try {
          await finished;
        } catch (error) {
          throw failure ?? new TraceWriteError(`closing the trace to ${label} failed: ${String(error)}`, { cause: error });
        }
        if (failure) throw failure;
      })();
      return closing;
    },
  };
  return sink;
}

/**
 * A JSONL trace file at `path` (created or truncated; pass `append: true` to add to it).
 *
 * @example
 * ```ts
 * const trace = createJsonlTraceWriter('run.trace.jsonl');
 * trace.attach(bus);
 * await runTaskTree(tree, execute, { events: bus });
 * await trace.close(); // flushed: every line is on disk
 * ```
 */
export function createJsonlTraceWriter(path: string, options: JsonlTraceOptions & { readonly append?: boolean } = {}): TraceSink {
  const stream = createWriteStream(path, { flags: options.append ? 'a' : 'w', encoding: 'utf8' });
  return jsonlTraceSink(stream, { ...options, label: options.label ?? path });
}

/**
 * `JSON.stringify` that never throws: cycles become `"[Circular]"` (a repeated, non-cyclic reference
 * is written in full), bigints strings, errors plain objects, Maps objects, Sets arrays; functions and
 * symbols are dropped; nesting deeper than 64 becomes `"[MaxDepth]"`.
 */
export function safeJsonStringify(value: unknown): string {
  return JSON.stringify(toJsonSafe(value, [], 0)) ?? 'null';
}

const MAX_DEPTH = 64;

function toJsonSafe(value: unknown, ancestors: object[], depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined; // function, symbol, undefined
  if (ancestors.includes(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[MaxDepth]';
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function' && !(value instanceof Error)) {
    return toJsonSafe(callToJson(value, toJSON as (this: object) => unknown), ancestors, depth + 1);
  }
  ancestors.push(value);
  try {
    if (Array.isArray(value)) return value.map((item) => toJsonSafe(item, ancestors, depth + 1) ?? null);
    if (value instanceof Set) return [...value].map((item) => toJsonSafe(item, ancestors, depth + 1) ?? null);
    const source: Record<string, unknown> =
      value instanceof Map ? Object.fromEntries([...value].map(([k, v]) => [String(k), v])) : errorFields(value) ?? (value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(source)) {
      const item = toJsonSafe(readField(source, key), ancestors, depth + 1);
      if (item !== undefined) out[key] = item;
    }
    return out;
  } finally {
    ancestors.pop();
  }
}

function errorFields(value: object): Record<string, unknown> | undefined {
  if (!(value instanceof Error)) return undefined;
  const fields: Record<string, unknown> = { name: value.name, message: value.message };
  const code = (value as { code?: unknown }).code;
  if (code !== undefined) fields.code = code;
  if (value.stack !== undefined) fields.stack = value.stack;
  if (value.cause !== undefined) fields.cause = value.cause;
  return fields;
}

/** A getter that throws must not break the trace line. */
function readField(source: Record<string, unknown>, key: string): unknown {
  try {
    return source[key];
  } catch (error) {
    return `[Unreadable: ${error instanceof Error ? error.message : String(error)}]`;
  }
}

function callToJson(value: object, toJSON: (this: object) => unknown): unknown {
  try {
    return toJSON.call(value);
  } catch (error) {
    return `[Unserialisable: ${error instanceof Error ? error.message : String(error)}]`;
  }
}
