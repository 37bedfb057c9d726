import { TaskforceError } from '../errors/taskforce-error.js';

/** No run with this id is in the store. */
export class RunNotFoundError extends TaskforceError {
  readonly runId: string;
  constructor(runId: string, location: string) {
    super('RUN_NOT_FOUND', `run ${JSON.stringify(runId)} not found in store ${location}`);
    this.runId = runId;
  }
}

/** `createRun` was given an id that is already taken (run ids are never reused). */
export class RunExistsError extends TaskforceError {
  readonly runId: string;
  constructor(runId: string, location: string) {
    super('RUN_EXISTS', `run ${JSON.stringify(runId)} already exists in store ${location}`);
    this.runId = runId;
  }
}

/** The store was closed; it cannot be used again (open a new one). */
export class StoreClosedError extends TaskforceError {
  readonly location: string;
  constructor(location: string, operation: string) {
    super('STORE_CLOSED', `store ${location} is closed (${operation} called after close())`);
    this.location = location;
  }
}

/** The database was written by a newer Taskforce than this one. It was left untouched. */
export class StoreSchemaError extends TaskforceError {
  readonly path: string;
  readonly found: number;
  readonly supported: number;
  constructor(path: string, found: number, supported: number) {
    super(
      'STORE_SCHEMA_UNSUPPORTED',
      `store ${path} has schema version ${found}, but this version of Taskforce reads up to ${supported}. ` +
        'It was left untouched; upgrade taskforce-agents to open it',
    );
    this.path = path;
    this.found = found;
    this.supported = supported;
  }
}

/**
 * The store's backend cannot be used: better-sqlite3 (an optional dependency) is missing or its native
 * addon failed to load, ioredis (an optional peer dependency) is missing, or the Redis server cannot be
 * reached. `message` replaces the SQLite wording for the other backends.
 */
export class StoreUnavailableError extends TaskforceError {
  readonly path: string;
  constructor(path: string, cause: unknown, message?: string) {
    super(
      'STORE_UNAVAILABLE',
      message ??
        `cannot open the SQLite store ${path}: better-sqlite3 could not be loaded (${cause instanceof Error ? cause.message : String(cause)}). ` +
          'Install it with `npm install better-sqlite3`, or use the memory store (path ":memory:", TASKFORCE_DB=:memory:)',
      { cause },
    );
    this.path = path;
  }
}
