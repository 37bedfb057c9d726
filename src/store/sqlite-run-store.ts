import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { ConfigError } from '../errors/taskforce-error.js';
import { importOptional } from '../util/import-optional.js';
import { RunExistsError, RunNotFoundError, StoreClosedError, StoreUnavailableError } from './errors.js';
import { StoreCorruptError } from './file-store.js';
import { journalChecksum } from './journal-checksum.js';
import { encodeEntries } from './journal-json.js';
import type { Store } from './kv-store.js';
import { leaseTakable } from './lease-rules.js';
import type { DeadLetter, JournalEntry, Lease, RunRecord, RunStatus, RunStore } from './run-store.js';
import { assertReadable, migrate } from './sqlite-schema.js';

type Database = BetterSqlite3.Database;

export interface SqliteRunStoreOptions {
  /** How long a write waits for another process's transaction before failing (ms). Default 5000. */
  readonly busyTimeoutMs?: number;
}

/** The format of the journal rows this build writes (the `v` column). */
const RECORD_VERSION = 1;

interface RunRow {
  run_id: string; goal: string; status: string; created_at: number; updated_at: number; options: string;
  cost_usd: number; tasks_completed: number; tasks_total: number; detail: string | null;
  lease_owner: string | null; lease_host: string | null; lease_pid: number | null; lease_expires_at: number | null;
}
interface JournalRow { seq: number; kind: string; path: string; key: string; data: string; at: number; checksum: string | null }

/**
 * The durable `RunStore`: one SQLite file (WAL, `synchronous = FULL`, so an append is on disk when it
 * resolves) that several processes may share. better-sqlite3 is loaded here, on first open, so that
 * importing Taskforce never loads a native addon.
 *
 * @example
 * const store = await openSqliteRunStore('.taskforce/taskforce.db');
 */
export async function openSqliteRunStore(path: string, options: SqliteRunStoreOptions = {}): Promise<RunStore> {
  const inMemory = path === ':memory:'; // SQLite's own in-memory database: useful for tests
  const location = inMemory ? path : resolve(path);
  const Sqlite = await loadSqlite(location);
  if (!inMemory) mkdirSync(dirname(location), { recursive: true });
  let db: Database;
  try {
    db = new Sqlite(location);
  } catch (error) {
    throw unavailableOr(location, error);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    // Checked before any pragma that writes the file header (WAL), so a newer database stays untouched.
    assertReadable(db, location);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    migrate(db, location);
    return sqliteRunStore(db, location);
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') throw new StoreCorruptError(location, 'not an SQLite database', { cause: error });
    throw error;
  }
}

async function loadSqlite(location: string): Promise<typeof BetterSqlite3> {
  try {
    return (await importOptional('better-sqlite3', 'the SQLite run store', () => import('better-sqlite3'))).default;
  } catch (error) {
    throw unavailableOr(location, error instanceof ConfigError ? (error.cause ?? error) : error);
  }
}

/** A missing package or a native addon that will not load (wrong platform, not built) means no SQLite. */
function unavailableOr(location: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const message = String((error as Error | null)?.message ?? error);
  const unavailable = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || code === 'ERR_DLOPEN_FAILED' || /bindings|\.node\b/.test(message);
  return unavailable ? new StoreUnavailableError(location, error) : error;
}

function sqliteRunStore(db: Database, location: string): RunStore {
  let closed = false;
  const check = (operation: string) => {
    if (closed) throw new StoreClosedError(location, operation);
  };

  // Prepared once: better-sqlite3 statements are reusable and preparing is the costly part.
  const sql = {
    insertRun: db.prepare(
      'INSERT INTO runs (run_id, goal, status, created_at, updated_at, options) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING',
    ),
    getRun: db.prepare('SELECT * FROM runs WHERE run_id = ?'),
    listRuns: db.prepare('SELECT * FROM runs WHERE (@status IS NULL OR status = @status) ORDER BY created_at DESC, rowid DESC LIMIT @limit'),
    updateRun: db.prepare(
      `UPDATE runs SET updated_at = @updatedAt, status = COALESCE(@status, status), cost_usd = COALESCE(@costUsd, cost_usd),
       tasks_completed = COALESCE(@tasksCompleted, tasks_completed), tasks_total = COALESCE(@tasksTotal, tasks_total),
       detail = COALESCE(@detail, detail) WHERE run_id = @runId`,
    ),
    runExists: db.prepare('SELECT 1 FROM runs WHERE run_id = ?'),
    maxSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM journal WHERE run_id = ?'),
    insertEntry: db.prepare('INSERT INTO journal (run_id, seq, kind, path, key, data, at, v, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    journal: db.prepare('SELECT seq, kind, path, key, data, at, checksum FROM journal WHERE run_id = ? AND seq > ? ORDER BY seq'),
    setLease: db.prepare('UPDATE runs SET lease_owner = ?, lease_host = ?, lease_pid = ?, lease_expires_at = ? WHERE run_id = ?'),
    renewLease: db.prepare('UPDATE runs SET lease_expires_at = ? WHERE run_id = ? AND lease_owner = ?'),
    releaseLease: db.prepare(
      'UPDATE runs SET lease_owner = NULL, lease_host = NULL, lease_pid = NULL, lease_expires_at = NULL WHERE run_id = ? AND lease_owner = ?',
    ),
    putLetter: db.prepare(
      `INSERT INTO dead_letters (id, run_id, status, created_at, letter) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET run_id = excluded.run_id, status = excluded.status, created_at = excluded.created_at, letter = excluded.letter`,
    ),
    listLetters: db.prepare(
      `SELECT letter FROM dead_letters WHERE (@runId IS NULL OR run_id = @runId) AND (@status IS NULL OR status = @status)
       ORDER BY created_at DESC, rowid DESC`,
    ),
    getLetter: db.prepare('SELECT letter FROM dead_letters WHERE id = ?'),
    kvAll: db.prepare('SELECT key, value FROM kv'),
    kvSet: db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    kvDelete: db.prepare('DELETE FROM kv WHERE key = ?'),
  };

  const readRun = (runId: string): RunRecord | undefined => {
    const row = sql.getRun.get(runId) as RunRow | undefined;
    return row && toRecord(row);
  };

  const append = db.transaction((runId: string, rows: { kind: string; path: string; key: string; data: string; at: number }[]): number[] => {
    if (!sql.runExists.get(runId)) throw new RunNotFoundError(runId, location);
    let seq = (sql.maxSeq.get(runId) as { seq: number }).seq;
    return rows.map((row) => {
      seq += 1;
      const checksum = journalChecksum({ runId, seq, ...row });
      sql.insertEntry.run(runId, seq, row.kind, row.path, row.key, row.data, row.at, RECORD_VERSION, checksum);
      return seq;
    });
  });

  const acquire = db.transaction((runId: string, owner: Omit<Lease, 'expiresAt'>, ttlMs: number, now: number) => {
    const run = readRun(runId);
    if (!run) throw new RunNotFoundError(runId, location);
    if (!leaseTakable(run.lease, owner.owner, now)) return { ok: false as const, holder: run.lease! };
    const lease: Lease = { owner: owner.owner, host: owner.host, pid: owner.pid, expiresAt: now + ttlMs };
    sql.setLease.run(lease.owner, lease.host, lease.pid, lease.expiresAt, runId);
    return { ok: true as const, lease };
  });

  // kv is read synchronously by strategies: held in memory, each `set` written through at once.
  const kvData = new Map<string, unknown>((sql.kvAll.all() as { key: string; value: string }[]).map((row) => [row.key, JSON.parse(row.value)]));
  const kv: Store = {
    get<T>(key: string): T | undefined {
      check('kv.get');
      return kvData.has(key) ? (structuredClone(kvData.get(key)) as T) : undefined;
    },
    set(key, value) {
      check('kv.set');
      if (value === undefined) {
        sql.kvDelete.run(key);
        kvData.delete(key);
        return;
      }
      const json = JSON.stringify(value);
      sql.kvSet.run(key, json);
      kvData.set(key, JSON.parse(json));
    },
    keys(prefix = '') {
      check('kv.keys');
      return [...kvData.keys()].filter((key) => key.startsWith(prefix)).sort();
    },
    flush: async () => check('kv.flush'), // every set is already committed
  };

  return {
    location,
    kv,

    async createRun(run) {
      check('createRun');
      const inserted = sql.insertRun.run(run.runId, run.goal, 'running', run.createdAt, run.createdAt, JSON.stringify(run.options));
      if (inserted.changes === 0) throw new RunExistsError(run.runId, location);
      return readRun(run.runId)!;
    },
    async getRun(runId) {
      check('getRun');
      return readRun(runId);
    },
    async listRuns({ status, limit } = {}) {
      check('listRuns');
      return (sql.listRuns.all({ status: status ?? null, limit: limit ?? -1 }) as RunRow[]).map(toRecord);
    },
    async updateRun(runId, update) {
      check('updateRun');
      const changed = sql.updateRun.run({
        runId,
        updatedAt: update.updatedAt,
        status: update.status ?? null,
        costUsd: update.costUsd ?? null,
        tasksCompleted: update.tasksCompleted ?? null,
        tasksTotal: update.tasksTotal ?? null,
        detail: update.detail ?? null,
      });
      if (changed.changes === 0) throw new RunNotFoundError(runId, location);
      return readRun(runId)!;
    },

    async append(runId, entries) {
      check('append');
      const data = encodeEntries(runId, entries);
      const rows = entries.map((entry, index) => ({ kind: entry.kind, path: entry.path, key: entry.key, data: data[index]!, at: entry.at }));
      return append.immediate(runId, rows);
    },
    async journal(runId, { afterSeq = 0 } = {}) {
      check('journal');
      const entries: JournalEntry[] = [];
      for (const row of sql.journal.iterate(runId, afterSeq) as IterableIterator<JournalRow>) {
        // A row that does not verify was torn (or damaged): it and everything after it are not trusted.
        if (row.checksum !== journalChecksum({ runId, ...row })) break;
        let data: unknown;
        try {
          data = JSON.parse(row.data);
        } catch {
          break;
        }
        entries.push({ seq: row.seq, kind: row.kind, path: row.path, key: row.key, data, at: row.at });
      }
      return entries;
    },

    async acquireLease(runId, owner, ttlMs, now) {
      check('acquireLease');
      return acquire.immediate(runId, owner, ttlMs, now);
    },
    async renewLease(runId, owner, ttlMs, now) {
      check('renewLease');
      return sql.renewLease.run(now + ttlMs, runId, owner).changes > 0;
    },
    async releaseLease(runId, owner) {
      check('releaseLease');
      sql.releaseLease.run(runId, owner);
    },

    async putDeadLetter(letter) {
      check('putDeadLetter');
      sql.putLetter.run(letter.id, letter.runId, letter.status, letter.createdAt, JSON.stringify(letter));
    },
    async listDeadLetters({ runId, status } = {}) {
      check('listDeadLetters');
      return (sql.listLetters.all({ runId: runId ?? null, status: status ?? null }) as { letter: string }[]).map((row) => JSON.parse(row.letter) as DeadLetter);
    },
    async getDeadLetter(id) {
      check('getDeadLetter');
      const row = sql.getLetter.get(id) as { letter: string } | undefined;
      return row && (JSON.parse(row.letter) as DeadLetter);
    },

    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

function toRecord(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    goal: row.goal,
    status: row.status as RunStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    options: JSON.parse(row.options) as Record<string, unknown>,
    costUsd: row.cost_usd,
    tasksCompleted: row.tasks_completed,
    tasksTotal: row.tasks_total,
    ...(row.detail === null ? {} : { detail: row.detail }),
    ...(row.lease_owner === null
      ? {}
      : { lease: { owner: row.lease_owner, host: row.lease_host ?? '', pid: row.lease_pid ?? 0, expiresAt: row.lease_expires_at ?? 0 } }),
  };
}
