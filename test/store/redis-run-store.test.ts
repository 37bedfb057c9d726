import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreClosedError, StoreUnavailableError } from '../../src/store/errors.js';
import { openRunStore } from '../../src/store/open-run-store.js';
import { loadRedis, openRedisRunStore, withoutPassword } from '../../src/store/redis-run-store.js';
import type { JournalAppend, RunStore } from '../../src/store/run-store.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { runStoreContract } from './run-store-contract.js';

let server: RedisServer | undefined;
let raw: Redis | undefined;
let prefixes = 0;
/** A prefix no other test uses, so every test starts from an empty store on the shared server. */
const freshPrefix = () => `test${process.pid}-${++prefixes}:`;
const url = () => {
  if (!server) throw new Error('redis-server was not started (see the beforeAll error)');
  return server.url;
};

beforeAll(async () => {
  server = await startRedisServer();
  raw = new Redis(server.url);
});
afterAll(async () => {
  await raw?.quit();
  await server?.stop();
});

runStoreContract('openRedisRunStore', () => openRedisRunStore(url(), { prefix: freshPrefix() }));

const entry = (key: string, data: unknown = { key }, at = 10): JournalAppend => ({ kind: 'task.completed', path: '', key, data, at });

describe('openRedisRunStore', () => {
  it('keeps everything under its prefix, and stores under different prefixes do not see each other', async () => {
    const prefix = freshPrefix();
    const a = await openRedisRunStore(url(), { prefix });
    const b = await openRedisRunStore(url(), { prefix: freshPrefix() });
    expect(a.location).toBe(url());
    await a.createRun({ runId: 'r1', goal: 'g', options: {}, createdAt: 1 });
    await a.append('r1', [entry('e1')]);
    await a.putDeadLetter({ id: 'r1::t1', runId: 'r1', path: '', taskId: 't1', title: 't', inputs: {}, error: { message: 'm', code: 'C' }, attempts: 1, createdAt: 2, status: 'open' });
    a.kv.set('k', 1);
    await a.kv.flush();
    expect((await raw!.keys(`${prefix}*`)).sort()).toEqual(
      ['deadletters', 'deadletters:counter', 'deadletters:index', 'deadletters:order', 'journal:r1', 'kv', 'run:r1', 'runs', 'runs:order'].map((k) => prefix + k),
    );
    expect(await b.getRun('r1')).toBeUndefined();
    expect(await b.listRuns()).toEqual([]);
    expect(b.kv.keys()).toEqual([]);
    await a.close();
    await b.close();
  });

  it('numbers concurrent appends from two connections (and within one) as one journal: distinct, consecutive, none lost', async () => {
    const prefix = freshPrefix();
    const a = await openRedisRunStore(url(), { prefix });
    const b = await openRedisRunStore(url(), { prefix });
    await a.createRun({ runId: 'r1', goal: 'g', options: {}, createdAt: 1 });
    const batch = (store: string, n: number) => [0, 1, 2].map((i) => entry(`${store}${n}.${i}`, { store, n, i }));
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, n) => [a.append('r1', batch('a', n)), b.append('r1', batch('b', n))]).flat(),
    );
    for (const seqs of results) expect(seqs).toEqual([seqs[0]!, seqs[0]! + 1, seqs[0]! + 2]);
    expect(results.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const journal = await b.journal('r1');
    expect(journal.map((e) => e.seq)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(new Set(journal.map((e) => e.key)).size).toBe(150);
    // Each batch landed whole and in its own order, at the seqs its append returned.
    const keyAt = new Map(journal.map((e) => [e.seq, e.key]));
    results.forEach((seqs, index) => {
      const store = index % 2 === 0 ? 'a' : 'b';
      const n = Math.floor(index / 2);
      expect(seqs.map((seq) => keyAt.get(seq))).toEqual([0, 1, 2].map((i) => `${store}${n}.${i}`));
    });
    await a.close();
    await b.close();
  });

  it('stops the journal at an entry that was tampered with, moved, or is not JSON, dropping it and what follows', async () => {
    const prefix = freshPrefix();
    const store = await openRedisRunStore(url(), { prefix });
    await store.createRun({ runId: 'r1', goal: 'g', options: {}, createdAt: 1 });
    await store.append('r1', [1, 2, 3, 4].map((n) => entry(`e${n}`, { n }, n)));
    const key = `${prefix}journal:r1`;
    expect((await store.journal('r1')).map((e) => e.key)).toEqual(['e1', 'e2', 'e3', 'e4']);

    const third = JSON.parse((await raw!.lindex(key, 2))!) as { data: string };
    await raw!.lset(key, 2, JSON.stringify({ ...third, data: '{"n":99}' }));
    expect((await store.journal('r1')).map((e) => e.key)).toEqual(['e1', 'e2']);
    expect(await store.journal('r1', { afterSeq: 2 })).toEqual([]);

    await raw!.lset(key, 1, (await raw!.lindex(key, 0))!); // a valid entry, but at the wrong place
    expect((await store.journal('r1')).map((e) => e.key)).toEqual(['e1']);

    await raw!.lset(key, 0, '{"seq":1,');
    expect(await store.journal('r1')).toEqual([]);
    await store.close();
  });

  it('keeps runs, journals, leases, dead letters and kv across close and reopen', async () => {
    const prefix = freshPrefix();
    const first = await openRedisRunStore(url(), { prefix });
    await first.createRun({ runId: 'r1', goal: 'g', options: { seed: 1 }, createdAt: 5 });
    await first.append('r1', [{ kind: 'plan.accepted', path: '', key: 'plan', data: { tasks: 2 }, at: 6 }]);
    await first.acquireLease('r1', { owner: 'h:1:n', host: 'h', pid: 1 }, 100, 0);
    first.kv.set('rep:coder', { score: 0.5 });
    first.kv.set('gone', 1);
    first.kv.set('gone', undefined);
    first.kv.set('later', [1]);
    first.kv.set('later', [1, 2]); // sent in order: the last set wins on the server too
    await first.putDeadLetter({ id: 'r1::t1', runId: 'r1', path: '', taskId: 't1', title: 't', inputs: {}, error: { message: 'm', code: 'C' }, attempts: 1, createdAt: 7, status: 'open' });
    await first.close(); // writes the pending kv sets first

    const second = await openRedisRunStore(url(), { prefix });
    expect(await second.getRun('r1')).toMatchObject({ options: { seed: 1 }, lease: { owner: 'h:1:n', host: 'h', pid: 1, expiresAt: 100 } });
    expect(await second.journal('r1')).toEqual([{ seq: 1, kind: 'plan.accepted', path: '', key: 'plan', data: { tasks: 2 }, at: 6 }]);
    expect(second.kv.keys()).toEqual(['later', 'rep:coder']);
    expect(second.kv.get('rep:coder')).toEqual({ score: 0.5 });
    expect(second.kv.get('later')).toEqual([1, 2]);
    expect((await second.getDeadLetter('r1::t1'))?.taskId).toBe('t1');
    expect(await second.append('r1', [entry('x')])).toEqual([2]);
    await second.close();
  });

  it('reports a kv write the server refused at flush (and at close), once', async () => {
    const prefix = freshPrefix();
    const store = await openRedisRunStore(url(), { prefix });
    await raw!.set(`${prefix}kv`, 'not a hash'); // every HSET on it now fails with WRONGTYPE
    store.kv.set('k', 1);
    expect(store.kv.get('k')).toBe(1);
    await expect(store.kv.flush()).rejects.toThrow(/kv write to the Redis store .* failed: WRONGTYPE/);
    await expect(store.kv.flush()).resolves.toBeUndefined();
    store.kv.set('k', 2);
    await expect(store.close()).rejects.toThrow(/WRONGTYPE/);
    await expect(store.getRun('r1')).rejects.toBeInstanceOf(StoreClosedError);
  });

  it('has one winner when two connections race for the same lease', async () => {
    const prefix = freshPrefix();
    const a = await openRedisRunStore(url(), { prefix });
    const b = await openRedisRunStore(url(), { prefix });
    for (let run = 0; run < 20; run++) {
      const runId = `race${run}`;
      await a.createRun({ runId, goal: 'g', options: {}, createdAt: run });
      // Both see an expired lease of a third owner, and both may take it; only one may get it.
      await a.acquireLease(runId, { owner: 'old', host: 'elsewhere', pid: 1 }, 10, 0);
      const [fromA, fromB] = await Promise.all([
        a.acquireLease(runId, { owner: 'a', host: 'elsewhere', pid: 2 }, 1000, 100),
        b.acquireLease(runId, { owner: 'b', host: 'elsewhere', pid: 3 }, 1000, 100),
      ]);
      expect([fromA.ok, fromB.ok].filter(Boolean)).toHaveLength(1);
      const winner = fromA.ok ? fromA.lease : fromB.ok ? fromB.lease : undefined;
      const loser = fromA.ok ? fromB : fromA;
      expect(loser).toEqual({ ok: false, holder: winner });
      expect((await b.getRun(runId))?.lease).toEqual(winner);
    }
    await a.close();
    await b.close();
  });

  it('renews only a lease the owner still holds after another connection took it', async () => {
    const prefix = freshPrefix();
    const a = await openRedisRunStore(url(), { prefix });
    const b = await openRedisRunStore(url(), { prefix });
    const me = { owner: `${hostname()}:${process.pid}:a`, host: hostname(), pid: process.pid };
    await a.createRun({ runId: 'r1', goal: 'g', options: {}, createdAt: 1 });
    await a.acquireLease('r1', me, 10, 0);
    expect(await b.acquireLease('r1', { owner: 'b', host: 'elsewhere', pid: 2 }, 1000, 20)).toMatchObject({ ok: true });
    expect(await a.renewLease('r1', me.owner, 10, 21)).toBe(false);
    expect((await a.getRun('r1'))?.lease?.owner).toBe('b');
    await a.close();
    await b.close();
  });

  it('reports a server that cannot be reached as StoreUnavailableError, naming the URL without its password', async () => {
    const closedPort = `redis://:hunter2@127.0.0.1:1/0`;
    const error = await openRedisRunStore(closedPort, { connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', path: 'redis://127.0.0.1:1/0' });
    expect((error as Error).message).toMatch(/cannot open the Redis store redis:\/\/127\.0\.0\.1:1\/0: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('reports a missing ioredis package as StoreUnavailableError saying to install it', async () => {
    const missing = Object.assign(new Error("Cannot find package 'ioredis' imported from /app/dist/store.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    const error = await loadRedis('redis://h:6379', () => Promise.reject(missing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', path: 'redis://h:6379', cause: missing });
    expect((error as Error).message).toContain('npm install ioredis');
    // Anything else (a broken install) is not disguised as a missing package.
    const broken = new SyntaxError('Unexpected token');
    await expect(loadRedis('redis://h:6379', () => Promise.reject(broken))).rejects.toBe(broken);
  });

  it('shows URLs without their password', () => {
    expect(withoutPassword('redis://:secret@host:6379/2')).toBe('redis://host:6379/2');
    expect(withoutPassword('rediss://bob:secret@host:6380')).toBe('rediss://bob@host:6380');
    expect(withoutPassword('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});

describe('openRunStore with a Redis URL', () => {
  it('opens the Redis store for a redis:// path, and for TASKFORCE_DB set to one', async () => {
    const explicit: RunStore = await openRunStore({ path: url(), env: {} });
    expect(explicit.location).toBe(url());
    await explicit.createRun({ runId: `open-${freshPrefix()}`, goal: 'g', options: {}, createdAt: 1 });
    await explicit.close();
    const fromEnv = await openRunStore({ env: { TASKFORCE_DB: ` ${url()} ` } });
    expect(fromEnv.location).toBe(url());
    await fromEnv.close();
  });
});
