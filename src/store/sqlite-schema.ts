import type BetterSqlite3 from 'better-sqlite3';
import { StoreSchemaError } from './errors.js';
import { journalChecksum } from './journal-checksum.js';

type Database = BetterSqlite3.Database;

/** The schema this build writes. A database with a higher version is refused, never touched. */
export const SCHEMA_VERSION = 2;

/** Version 1, the first layout: runs, a journal without checksums, kv. Kept to build old databases in tests. */
export const SCHEMA_V1_DDL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  goal TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  options TEXT NOT NULL,
  cost_usd REAL NOT NULL DEFAULT 0,
  tasks_completed INTEGER NOT NULL DEFAULT 0,
  tasks_total INTEGER NOT NULL DEFAULT 0,
  detail TEXT
);
CREATE INDEX runs_by_created ON runs (created_at);
CREATE TABLE journal (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  key TEXT NOT NULL,
  data TEXT NOT NULL,
  at INTEGER NOT NULL,
  v INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta (key, value) VALUES ('schema_version', '1');
`;

/**
 * 1 → 2: journal checksums (a torn write is detected, not replayed), leases on runs, dead letters.
 * Existing journal rows get their checksum computed here, so every row is verified alike afterwards
 * (a row with a NULL checksum is treated as torn).
 */
function migrate1to2(db: Database): void {
  db.exec(`
    ALTER TABLE journal ADD COLUMN checksum TEXT;
    ALTER TABLE runs ADD COLUMN lease_owner TEXT;
    ALTER TABLE runs ADD COLUMN lease_host TEXT;
    ALTER TABLE runs ADD COLUMN lease_pid INTEGER;
    ALTER TABLE runs ADD COLUMN lease_expires_at INTEGER;
    CREATE TABLE dead_letters (
      id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL,
      status TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      letter TEXT NOT NULL
    );
    CREATE INDEX dead_letters_by_run ON dead_letters (run_id, created_at);
  `);
  const rows = db.prepare('SELECT run_id, seq, kind, path, key, data, at FROM journal').all() as {
    run_id: string; seq: number; kind: string; path: string; key: string; data: string; at: number;
  }[];
  const set = db.prepare('UPDATE journal SET checksum = ? WHERE run_id = ? AND seq = ?');
  for (const row of rows)
    set.run(journalChecksum({ runId: row.run_id, seq: row.seq, kind: row.kind, path: row.path, key: row.key, data: row.data, at: row.at }), row.run_id, row.seq);
}

/** Migration to version N at index N. */
const MIGRATIONS: readonly ((db: Database) => void)[] = [() => undefined, (db) => db.exec(SCHEMA_V1_DDL), migrate1to2];

/** The database's schema version; 0 for a new (empty) database. */
export function readSchemaVersion(db: Database): number {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (!hasMeta) return 0;
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

/** Throws StoreSchemaError, without writing anything, when `db` is newer than this build reads. */
export function assertReadable(db: Database, path: string): void {
  const version = readSchemaVersion(db);
  if (version > SCHEMA_VERSION) throw new StoreSchemaError(path, version, SCHEMA_VERSION);
}

/**
 * Brings `db` to SCHEMA_VERSION in one IMMEDIATE transaction: a crash leaves the old version intact,
 * and of two processes opening a new file at once, the second finds it already migrated.
 */
export function migrate(db: Database, path: string): void {
  db.transaction(() => {
    const version = readSchemaVersion(db);
    if (version > SCHEMA_VERSION) throw new StoreSchemaError(path, version, SCHEMA_VERSION);
    if (version === SCHEMA_VERSION) return;
    for (let next = version + 1; next <= SCHEMA_VERSION; next++) MIGRATIONS[next]!(db);
    db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION));
  }).immediate();
}
