import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreCorruptError } from '../../src/store/file-store.js';
import { StoreSchemaError } from '../../src/store/errors.js';
import { SCHEMA_V1_DDL, SCHEMA_VERSION } from '../../src/store/sqlite-schema.js';
import { openSqliteRunStore } from '../../src/store/sqlite-run-store.js';
import { runStoreContract } from './run-store-contract.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'taskforce-sqlite-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

runStoreContract('openSqliteRunStore', () => openSqliteRunStore(join(dir, 'nested', 'taskforce.db')));

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const schemaSql = (db: Database.Database) =>
  (db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all() as { sql: string }[]).map((row) => ({
    ...row,
    sql: row.sql.replace(/\s+/g, ' '),
  }));

describe('openSqliteRunStore', () => {
  it('creates the file and its folders, in WAL mode, at the current schema version', async () => {
    const path = join(dir, 'a', 'b', 'taskforce.db');
    const store = await openSqliteRunStore(path);
    expect(store.location).toBe(path);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: String(SCHEMA_VERSION) });
    db.close();
  });

  it('keeps runs, journals, dead letters and kv across close and reopen', async () => {
    const path = join(dir, 'taskforce.db');
    const first = await openSqliteRunStore(path);
    await first.createRun({ runId: 'r1', goal: 'g', options: { seed: 1 }, createdAt: 5 });
    await first.append('r1', [{ kind: 'plan.accepted', path: '', key: 'plan', data: { tasks: 2 }, at: 6 }]);
    await first.acquireLease('r1', { owner: 'h:1:n', host: 'h', pid: 1 }, 100, 0);
    first.kv.set('rep:coder', { score: 0.5 });
    first.kv.set('gone', 1);
    first.kv.set('gone', undefined);
    await first.putDeadLetter({ id: 'r1::t1', runId: 'r1', path: '', taskId: 't1', title: 't', inputs: {}, error: { message: 'm', code: 'C' }, attempts: 1, createdAt: 7, status: 'open' });
    await first.close();

    const second = await openSqliteRunStore(path);
    expect(await second.getRun('r1')).toMatchObject({ options: { seed: 1 }, lease: { owner: 'h:1:n', expiresAt: 100 } });
    expect(await second.journal('r1')).toEqual([{ seq: 1, kind: 'plan.accepted', path: '', key: 'plan', data: { tasks: 2 }, at: 6 }]);
    expect(second.kv.get('rep:coder')).toEqual({ score: 0.5 });
    expect(second.kv.keys()).toEqual(['rep:coder']);
    expect((await second.getDeadLetter('r1::t1'))?.taskId).toBe('t1');
    expect(await second.append('r1', [{ kind: 'k', path: '', key: 'x', data: null, at: 8 }])).toEqual([2]);
    await second.close();
  });

  it('lets two stores on one file see each other\'s runs and appends, numbering them as one journal', async () => {
    const path = join(dir, 'shared.db');
    const a = await openSqliteRunStore(path);
    const b = await openSqliteRunStore(path);
    await a.createRun({ runId: 'r1', goal: 'g', options: {}, createdAt: 1 });
    expect(await b.append('r1', [{ kind: 'k', path: '', key: 'from-b', data: 1, at: 1 }])).toEqual([1]);
    expect(await a.append('r1', [{ kind: 'k', path: '', key: 'from-a', data: 2, at: 2 }])).toEqual([2]);
    expect((await b.journal('r1')).map((e) => e.key)).toEqual(['from-b', 'from-a']);
    expect(await a.acquireLease('r1', { owner: 'a', host: 'elsewhere', pid: 1 }, 1000, 0)).toMatchObject({ ok: true });
    expect(await b.acquireLease('r1', { owner: 'b', host: 'elsewhere', pid: 2 }, 1000, 0)).toMatchObject({ ok: false, holder: { owner: 'a' } });
    await a.close();
    await b.close();
  });

  it('stops the journal at a row whose checksum does not match (a torn write), dropping it and what follows', async () => {
    const path = join(dir, 'torn.db');
    const store = await openSqliteRunStore(path);
    await store.createRun({ runId: 'r1', goal: 'g', options: {}, createdAt: 1 });
    await store.append('r1', [1, 2, 3].map((n) => ({ kind: 'k', path: '', key: `e${n}`, data: { n }, at: n })));
    const raw = new Database(path);
    raw.prepare("UPDATE journal SET data = '{\"n\":99}' WHERE run_id = 'r1' AND seq = 3").run();
    expect((await store.journal('r1')).map((e) => e.key)).toEqual(['e1', 'e2']);
    raw.prepare("UPDATE journal SET data = '{\"n\"' WHERE run_id = 'r1' AND seq = 2").run();
    expect((await store.journal('r1')).map((e) => e.key)).toEqual(['e1']);
    expect(await store.journal('r1', { afterSeq: 1 })).toEqual([]);
    raw.close();
    await store.close();
  });

  it('refuses a database from a newer schema with StoreSchemaError and leaves the file untouched', async () => {
    const path = join(dir, 'future.db');
    const db = new Database(path);
    db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '3'); CREATE TABLE runs (x TEXT);");
    db.close();
    const before = sha(path);
    const error = await openSqliteRunStore(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreSchemaError);
    expect(error).toMatchObject({ code: 'STORE_SCHEMA_UNSUPPORTED', path, found: 3, supported: SCHEMA_VERSION });
    expect((error as Error).message).toContain(path);
    expect(sha(path)).toBe(before);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('reports a file that is not SQLite as StoreCorruptError and leaves it alone', async () => {
    const path = join(dir, 'notes.db');
    writeFileSync(path, 'this is not a database, just some text that is long enough to have a header'.repeat(10));
    const before = sha(path);
    const error = await openSqliteRunStore(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(sha(path)).toBe(before);
  });

  describe('the v1 fixture (test/store/fixtures/taskforce-v1.db)', () => {
    it('was built with the v1 DDL this build migrates from', () => {
      const fixture = new Database(join(FIXTURES, 'taskforce-v1.db'), { readonly: true });
      const fresh = new Database(':memory:');
      fresh.exec(SCHEMA_V1_DDL);
      expect(schemaSql(fixture)).toEqual(schemaSql(fresh));
      expect(fixture.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: '1' });
      fixture.close();
      fresh.close();
    });

    it('opens a copy, migrating it to the current version, and reads everything back', async () => {
      const path = join(dir, 'old.db');
      copyFileSync(join(FIXTURES, 'taskforce-v1.db'), path);
      const store = await openSqliteRunStore(path);
      expect((await store.listRuns()).map((r) => r.runId)).toEqual(['run-b', 'run-a']);
      expect(await store.getRun('run-a')).toEqual({
        runId: 'run-a', goal: 'Summarise the release notes', status: 'completed', createdAt: 1000, updatedAt: 1500,
        options: { strategy: 'hierarchical', seed: 7 }, costUsd: 0.25, tasksCompleted: 2, tasksTotal: 2,
      });
      expect(await store.getRun('run-b')).toMatchObject({ status: 'failed', detail: 'task t2 failed: timeout', tasksTotal: 3 });
      expect(await store.journal('run-a')).toEqual([
        { seq: 1, kind: 'plan.accepted', path: '', key: 'plan', data: { tasks: ['t1', 't2'] }, at: 1100 },
        { seq: 2, kind: 'task.completed', path: '', key: 't1', data: { output: 'notes summarised' }, at: 1200 },
        { seq: 3, kind: 'task.completed', path: '', key: 't2', data: { output: 'done' }, at: 1400 },
      ]);
      expect((await store.journal('run-b')).map((e) => `${e.path}/${e.key}`)).toEqual(['/plan', 't1/t1']);
      expect(store.kv.keys()).toEqual(['pheromone:review', 'reputation:coder']);
      expect(store.kv.get('reputation:coder')).toEqual({ score: 0.8, runs: 5 });
      // What v1 lacked now works: appends after the migrated rows, leases, dead letters.
      expect(await store.append('run-b', [{ kind: 'task.completed', path: '', key: 't2', data: {}, at: 2700 }])).toEqual([3]);
      expect(await store.acquireLease('run-b', { owner: 'o', host: 'h', pid: 1 }, 10, 0)).toMatchObject({ ok: true });
      expect(await store.listDeadLetters()).toEqual([]);
      await store.close();

      const db = new Database(path, { readonly: true });
      expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: String(SCHEMA_VERSION) });
      expect(db.prepare('SELECT COUNT(*) AS n FROM journal WHERE checksum IS NULL').get()).toEqual({ n: 0 });
      db.close();
    });
  });
});
