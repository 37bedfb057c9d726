import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileStore } from './file-store.js';
import { memoryRunStore } from './memory-run-store.js';
import { openRedisRunStore } from './redis-run-store.js';
import type { RunStore } from './run-store.js';
import { openSqliteRunStore } from './sqlite-run-store.js';

export interface OpenRunStoreOptions {
  /**
   * The database file, `:memory:`, or a `redis://` / `rediss://` URL. Default `TASKFORCE_DB`, then
   * `<cwd>/.taskforce/taskforce.db`.
   */
  readonly path?: string;
  /** Default `process.cwd()`. */
  readonly cwd?: string;
  /** Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * An old JSON file store (`fileStore`) whose keys are copied into `kv` the first time this store
   * sees it. The JSON file is left in place.
   */
  readonly importJsonStore?: string;
}

/** Whether a store path is a Redis URL (`redis://...`, `rediss://...` for TLS) rather than a file. */
export function isRedisUrl(path: string): boolean {
  return /^rediss?:\/\//i.test(path);
}

/**
 * Where the run store lives unless told: `TASKFORCE_DB` (a file, `:memory:` or a Redis URL, which is
 * returned as given), else `<cwd>/.taskforce/taskforce.db`.
 */
export function defaultRunStorePath(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TASKFORCE_DB?.trim();
  if (fromEnv) return fromEnv === ':memory:' || isRedisUrl(fromEnv) ? fromEnv : resolve(cwd, fromEnv);
  return join(resolve(cwd), '.taskforce', 'taskforce.db');
}

/** The kv key recording that a JSON store was imported, so it is imported once, never again. */
export function importMarkerKey(jsonPath: string): string {
  return `taskforce:imported:${resolve(jsonPath)}`;
}

/**
 * Opens the installation's run store: an explicit `path`, else `TASKFORCE_DB`, else
 * `<cwd>/.taskforce/taskforce.db`; `:memory:` gives a store private to this process. A path that
 * starts with `redis://` or `rediss://` opens the Redis store (`openRedisRunStore`, keys under the
 * default prefix `taskforce:`; needs the optional package ioredis) on that server instead of a file;
 * only an explicit path or `TASKFORCE_DB` selects it, never a separate setting.
 *
 * @example
 * const shared = await openRunStore({ path: 'redis://redis.internal:6379/0' });
 *
 * @example
 * const store = await openRunStore({ importJsonStore: '.taskforce/store.json' });
 */
export async function openRunStore(options: OpenRunStoreOptions = {}): Promise<RunStore> {
  const cwd = options.cwd ?? process.cwd();
  const path =
    options.path !== undefined
      ? options.path === ':memory:' || isRedisUrl(options.path)
        ? options.path
        : resolve(cwd, options.path)
      : defaultRunStorePath(cwd, options.env ?? process.env);
  const store = path === ':memory:' ? memoryRunStore() : isRedisUrl(path) ? await openRedisRunStore(path) : await openSqliteRunStore(path);
  if (options.importJsonStore !== undefined) {
    try {
      importJsonStore(store, resolve(cwd, options.importJsonStore));
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

/**
 * Copies an old JSON store's keys into `kv` once. Keys already in `kv` win (they are newer than the
 * JSON file, which this build no longer writes). The marker is set last, so an import cut short is
 * done again in full next time.
 */
function importJsonStore(store: RunStore, jsonPath: string): void {
  const marker = importMarkerKey(jsonPath);
  if (!existsSync(jsonPath) || store.kv.get(marker) !== undefined) return;
  const old = fileStore(jsonPath, { debounceMs: Infinity }); // read-only use: never flushed, so never written
  let copied = 0;
  for (const key of old.keys()) {
    if (store.kv.get(key) !== undefined) continue;
    store.kv.set(key, old.get(key));
    copied++;
  }
  store.kv.set(marker, { importedAt: Date.now(), keys: copied });
}
