import { readFileSync } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, TaskforceError } from '../errors/taskforce-error.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { Store } from './kv-store.js';

/** The store file exists but is not a Taskforce store (bad JSON or shape). The file is left as it is. */
export class StoreCorruptError extends TaskforceError {
  readonly path: string;
  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super(
      'STORE_CORRUPT',
      `store file ${path} is corrupt: ${problem}. It was left untouched; fix or move it away to start a new store`,
      options,
    );
    this.path = path;
  }
}

/** The store file exists but cannot be read (permissions, a folder in its place...). */
export class StoreReadError extends TaskforceError {
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super('STORE_READ_FAILED', `cannot read store file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.path = path;
  }
}

/** Writing the store file failed (the previous file, if any, is intact). */
export class StoreWriteError extends TaskforceError {
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super('STORE_WRITE_FAILED', `cannot write store file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.path = path;
  }
}

export interface FileStoreOptions {
  /**
   * Writes this many ms (of `clock` time) after the first unsaved change. Default 100.
   * `Infinity` writes only on `flush()` / `close()`.
   */
  readonly debounceMs?: number;
  /** Default the system clock. */
  readonly clock?: Clock;
  /**
   * Called when a debounced write fails. Without it the error is kept and thrown by the next
   * `flush()`, so it is never lost.
   */
  readonly onError?: (error: StoreWriteError) => void;
}

/** A durable `Store` in one JSON file. */
export interface FileStore extends Store {
  readonly path: string;
  /** Cancels a pending debounced write and writes what is unsaved. */
  close(): Promise<void>;
}

const SCHEMA_VERSION = 1;

/**
 * A `Store` kept in a JSON file (`{ "$schemaVersion": 1, "entries": { ... } }`), read once at
 * creation and written atomically (a temp file renamed over the old one, so a crash leaves the old
 * or the new file, never half of one). Writes are debounced; `flush()` writes now. A file that is
 * not valid JSON or not a store is a `StoreCorruptError` naming it, and is never overwritten.
 * One process should own a file at a time: concurrent writers overwrite each other's changes.
 *
 * @example
 * const store = fileStore('.taskforce/store.json');
 * store.set('notes/release', { $schemaVersion: 1, reviewedBy: ['ada'] });
 * await store.flush();
 */
export function fileStore(path: string, options: FileStoreOptions = {}): FileStore {
  const debounceMs = options.debounceMs ?? 100;
  if (!(debounceMs >= 0)) throw new ConfigError(`fileStore ${path}: debounceMs must be >= 0 (got ${debounceMs})`);
  const clock = options.clock ?? systemClock();
  const data = load(path);
  let dirty = false;
  let timer: AbortController | undefined;
  let writing: Promise<void> = Promise.resolve();
  let failed: StoreWriteError | undefined;
  let seq = 0;

  const write = async (): Promise<void> => {
    if (!dirty) return;
    dirty = false;
    const json = JSON.stringify({ $schemaVersion: SCHEMA_VERSION, entries: Object.fromEntries([...data.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) }, null, 2);
    const temp = `${path}.${process.pid}.${++seq}.tmp`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(temp, json + '\n', 'utf8');
      await rename(temp, path);
    } catch (error) {
      dirty = true;
      await unlink(temp).catch(() => undefined); // best effort: the temp file may not exist
      throw new StoreWriteError(path, error);
    }
  };
  const flushNow = (): Promise<void> => {
    timer?.abort();
    timer = undefined;
    writing = writing.then(write, write);
    return writing;
  };
  const schedule = () => {
    if (timer || !Number.isFinite(debounceMs)) return;
    const controller = new AbortController();
    timer = controller;
    clock.sleep(debounceMs, controller.signal).then(
      () => {
        if (timer !== controller) return;
        timer = undefined;
        flushNow().catch((error: StoreWriteError) => {
          if (options.onError) options.onError(error);
          else failed = error;
        });
      },
      () => undefined, // aborted: a flush or close took over
    );
  };

  const flush = async (): Promise<void> => {
    // Let a write in flight finish first. Its failure is not lost: an explicit flush's caller got
    // it, and a debounced write's went to onError or to `failed`, reported just below.
    await writing.catch(() => undefined);
    // A debounced write failed: report it once; the data stays unsaved, so the next flush retries.
    const earlier = failed;
    failed = undefined;
    if (earlier) throw earlier;
    await flushNow();
  };

  return {
    path,
    get<T>(key: string): T | undefined {
      return data.has(key) ? (structuredClone(data.get(key)) as T) : undefined;
    },
    set(key, value) {
      if (value === undefined) data.delete(key);
      else data.set(key, structuredClone(value));
      dirty = true;
      schedule();
    },
    keys(prefix = '') {
      return [...data.keys()].filter((key) => key.startsWith(prefix)).sort();
    },
    flush,
    close: flush,
  };
}

function load(path: string): Map<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new StoreReadError(path, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StoreCorruptError(path, `not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new StoreCorruptError(path, 'expected a JSON object with "$schemaVersion" and "entries"');
  const record = parsed as { $schemaVersion?: unknown; entries?: unknown };
  if (record.$schemaVersion !== SCHEMA_VERSION)
    throw new StoreCorruptError(path, `unsupported $schemaVersion ${JSON.stringify(record.$schemaVersion)} (this version reads ${SCHEMA_VERSION})`);
  if (typeof record.entries !== 'object' || record.entries === null || Array.isArray(record.entries))
    throw new StoreCorruptError(path, '"entries" must be a JSON object');
  return new Map(Object.entries(record.entries as Record<string, unknown>));
}
