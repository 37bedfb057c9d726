import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunExistsError, RunNotFoundError, StoreClosedError } from '../../src/store/errors.js';
import type { DeadLetter, JournalAppend, RunStore } from '../../src/store/run-store.js';

/** The pid of a process that has exited (so, on this host, no longer alive). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

const entry = (key: string, data: unknown = { key }, at = 10): JournalAppend => ({ kind: 'task.completed', path: '', key, data, at });

const letter = (id: string, runId: string, createdAt: number, status: DeadLetter['status'] = 'open'): DeadLetter => ({
  id,
  runId,
  path: '',
  taskId: id.split(':').at(-1)!,
  title: `task ${id}`,
  inputs: { t0: 'upstream output' },
  error: { message: 'boom', code: 'TASK_TIMEOUT' },
  attempts: 3,
  createdAt,
  status,
});

/** The behaviour every RunStore must have; each store's test file runs it against a fresh store. */
export function runStoreContract(name: string, open: () => Promise<RunStore>): void {
  describe(`${name}: RunStore contract`, () => {
    let store: RunStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates a run as running, reads it back, and refuses a second run with the same id', async () => {
      const created = await store.createRun({ runId: 'r1', goal: 'g', options: { strategy: 'auction', limits: { depth: 2 } }, createdAt: 100 });
      expect(created).toEqual({
        runId: 'r1', goal: 'g', status: 'running', createdAt: 100, updatedAt: 100,
        options: { strategy: 'auction', limits: { depth: 2 } }, costUsd: 0, tasksCompleted: 0, tasksTotal: 0,
      });
      expect(await store.getRun('r1')).toEqual(created);
      expect(await store.getRun('nope')).toBeUndefined();
      const error = await store.createRun({ runId: 'r1', goal: 'other', options: {}, createdAt: 200 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunExistsError);
      expect((error as RunExistsError).code).toBe('RUN_EXISTS');
      expect((await store.getRun('r1'))?.goal).toBe('g');
    });

    it('updates only the fields given and throws RunNotFoundError for an unknown run', async () => {
      await store.createRun({ runId: 'r1', goal: 'g', options: {}, createdAt: 100 });
      await store.updateRun('r1', { updatedAt: 150, status: 'waiting', detail: 'approve t2' });
      const updated = await store.updateRun('r1', { updatedAt: 200, costUsd: 1.5, tasksCompleted: 2, tasksTotal: 4 });
      expect(updated).toMatchObject({ status: 'waiting', detail: 'approve t2', costUsd: 1.5, tasksCompleted: 2, tasksTotal: 4, updatedAt: 200, createdAt: 100 });
      expect(await store.getRun('r1')).toEqual(updated);
      const error = await store.updateRun('ghost', { updatedAt: 1, status: 'failed' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunNotFoundError);
      expect(error).toMatchObject({ code: 'RUN_NOT_FOUND', runId: 'ghost' });
    });

    it('lists runs newest first, filtered by status and limited', async () => {
      await store.createRun({ runId: 'old', goal: 'g', options: {}, createdAt: 100 });
      await store.createRun({ runId: 'new', goal: 'g', options: {}, createdAt: 300 });
      await store.createRun({ runId: 'mid', goal: 'g', options: {}, createdAt: 200 });
      await store.updateRun('mid', { updatedAt: 400, status: 'completed' });
      expect((await store.listRuns()).map((r) => r.runId)).toEqual(['new', 'mid', 'old']);
      expect((await store.listRuns({ limit: 2 })).map((r) => r.runId)).toEqual(['new', 'mid']);
      expect((await store.listRuns({ status: 'running' })).map((r) => r.runId)).toEqual(['new', 'old']);
      expect((await store.listRuns({ status: 'completed' }))[0]?.status).toBe('completed');
    });

    it('hands out copies: mutating what was read changes nothing stored', async () => {
      await store.createRun({ runId: 'r1', goal: 'g', options: { tags: ['a'] }, createdAt: 1 });
      await store.append('r1', [entry('t1', { list: [1] })]);
      const run = await store.getRun('r1');
      (run!.options.tags as string[]).push('b');
      ((await store.journal('r1'))[0]!.data as { list: number[] }).list.push(2);
      expect((await store.getRun('r1'))!.options).toEqual({ tags: ['a'] });
      expect((await store.journal('r1'))[0]!.data).toEqual({ list: [1] });
    });

    it('appends with seq 1, 2, 3... per run and reads the journal in order, from afterSeq on', async () => {
      await store.createRun({ runId: 'r1', goal: 'g', options: {}, createdAt: 1 });
      await store.createRun({ runId: 'r2', goal: 'g', options: {}, createdAt: 2 });
      expect(await store.append('r1', [entry('a'), entry('b')])).toEqual([1, 2]);
      expect(await store.append('r2', [entry('x')])).toEqual([1]);
      expect(await store.append('r1', [{ kind: 'model.call', path: 't2/t1', key: 'd1#0', data: { text: 'hi' }, at: 42 }])).toEqual([3]);
      expect(await store.append('r1', [])).toEqual([]);
      const journal = await store.journal('r1');
      expect(journal.map((e) => e.key)).toEqual(['a', 'b', 'd1#0']);
      expect(journal[2]).toEqual({ seq: 3, kind: 'model.call', path: 't2/t1', key: 'd1#0', data: { text: 'hi' }, at: 42 });
      expect((await store.journal('r1', { afterSeq: 1 })).map((e) => e.seq)).toEqual([2, 3]);
      expect(await store.journal('r1', { afterSeq: 3 })).toEqual([]);
      expect((await store.journal('r2')).map((e) => e.key)).toEqual(['x']);
      expect(await store.journal('unknown')).toEqual([]);
    });

    it('appends all of a batch or none: one entry that is not JSON fails it whole', async () => {
      await store.createRun({ runId: 'r1', goal: 'g', options: {}, createdAt: 1 });
      await store.append('r1', [entry('before')]);
      const error = await store.append('r1', [entry('ok'), entry('bad', { n: 1n })]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect(String((error as Error).message)).toMatch(/entry 1 .*"bad".*not plain JSON/);
      expect((await store.journal('r1')).map((e) => e.key)).toEqual(['before']);
      expect(await store.append('r1', [entry('after')])).toEqual([2]);
    });

    it('refuses to append to an unknown run', async () => {
      await expect(store.append('ghost', [entry('a')])).rejects.toBeInstanceOf(RunNotFoundError);
    });

    describe('leases', () => {
      const me = { owner: `${hostname()}:${process.pid}:a`, host: hostname(), pid: process.pid };
      const other = { owner: 'elsewhere:77:b', host: 'elsewhere', pid: 77 };
      beforeEach(async () => {
        await store.createRun({ runId: 'r1', goal: 'g', options: {}, createdAt: 1 });
      });

      it('gives a free lease, lets its owner reacquire it, and refuses another owner with the holder', async () => {
        expect(await store.acquireLease('r1', me, 1000, 0)).toEqual({ ok: true, lease: { ...me, expiresAt: 1000 } });
        expect((await store.getRun('r1'))?.lease).toEqual({ ...me, expiresAt: 1000 });
        expect(await store.acquireLease('r1', me, 1000, 500)).toEqual({ ok: true, lease: { ...me, expiresAt: 1500 } });
        expect(await store.acquireLease('r1', other, 1000, 600)).toEqual({ ok: false, holder: { ...me, expiresAt: 1500 } });
      });

      it('lets another owner take an expired lease', async () => {
        await store.acquireLease('r1', other, 1000, 0);
        expect((await store.acquireLease('r1', me, 1000, 999)).ok).toBe(false);
        expect(await store.acquireLease('r1', me, 1000, 1000)).toEqual({ ok: true, lease: { ...me, expiresAt: 2000 } });
      });

      it('lets another owner take a live lease whose process on this host has died', async () => {
        const pid = await deadPid();
        const dead = { owner: `${hostname()}:${pid}:c`, host: hostname(), pid };
        await store.acquireLease('r1', dead, 60_000, 0);
        expect(await store.acquireLease('r1', me, 1000, 10)).toEqual({ ok: true, lease: { ...me, expiresAt: 1010 } });
      });

      it('does not take a live lease whose pid is dead on another host, nor one held by a live local process', async () => {
        const pid = await deadPid();
        await store.acquireLease('r1', { owner: `far:${pid}:d`, host: 'far-away-host', pid }, 60_000, 0);
        expect((await store.acquireLease('r1', me, 1000, 10)).ok).toBe(false);
        await store.releaseLease('r1', `far:${pid}:d`);
        await store.acquireLease('r1', me, 60_000, 0); // this process: alive
        expect(await store.acquireLease('r1', { ...other, owner: 'x', host: hostname() }, 1000, 10)).toMatchObject({ ok: false, holder: { owner: me.owner } });
      });

      it('renews only for the holder, and releases only for the holder', async () => {
        await store.acquireLease('r1', me, 1000, 0);
        expect(await store.renewLease('r1', other.owner, 1000, 100)).toBe(false);
        expect(await store.renewLease('r1', me.owner, 5000, 100)).toBe(true);
        expect((await store.getRun('r1'))?.lease?.expiresAt).toBe(5100);
        await store.releaseLease('r1', other.owner);
        expect((await store.getRun('r1'))?.lease?.owner).toBe(me.owner);
        await store.releaseLease('r1', me.owner);
        expect((await store.getRun('r1'))?.lease).toBeUndefined();
        expect(await store.renewLease('r1', me.owner, 1000, 200)).toBe(false);
        expect(await store.acquireLease('r1', other, 1000, 200)).toMatchObject({ ok: true });
      });

      it('throws RunNotFoundError when acquiring the lease of an unknown run', async () => {
        await expect(store.acquireLease('ghost', me, 1000, 0)).rejects.toBeInstanceOf(RunNotFoundError);
      });
    });

    it('puts, replaces, lists (newest first, filtered) and gets dead letters', async () => {
      await store.putDeadLetter(letter('r1::t1', 'r1', 100));
      await store.putDeadLetter(letter('r1::t2', 'r1', 300));
      await store.putDeadLetter(letter('r2::t1', 'r2', 200));
      expect((await store.listDeadLetters()).map((l) => l.id)).toEqual(['r1::t2', 'r2::t1', 'r1::t1']);
      expect((await store.listDeadLetters({ runId: 'r1' })).map((l) => l.id)).toEqual(['r1::t2', 'r1::t1']);
      await store.putDeadLetter({ ...letter('r1::t2', 'r1', 300), status: 'retried', attempts: 4 });
      expect((await store.listDeadLetters({ status: 'open' })).map((l) => l.id)).toEqual(['r2::t1', 'r1::t1']);
      expect((await store.listDeadLetters({ runId: 'r1', status: 'retried' })).map((l) => l.id)).toEqual(['r1::t2']);
      expect(await store.getDeadLetter('r1::t2')).toEqual({ ...letter('r1::t2', 'r1', 300), status: 'retried', attempts: 4 });
      expect(await store.getDeadLetter('missing')).toBeUndefined();
    });

    it('keeps kv values as copies, lists keys by prefix, and deletes on undefined', async () => {
      const value = { score: 1, history: [1] };
      store.kv.set('rep:coder', value);
      store.kv.set('rep:ada', 2);
      store.kv.set('trail:x', 3);
      value.history.push(2);
      store.kv.get<{ history: number[] }>('rep:coder')!.history.push(3);
      expect(store.kv.get('rep:coder')).toEqual({ score: 1, history: [1] });
      expect(store.kv.keys('rep:')).toEqual(['rep:ada', 'rep:coder']);
      store.kv.set('rep:ada', undefined);
      expect(store.kv.keys()).toEqual(['rep:coder', 'trail:x']);
      await expect(store.kv.flush()).resolves.toBeUndefined();
    });

    it('throws StoreClosedError from every call after close', async () => {
      await store.createRun({ runId: 'r1', goal: 'g', options: {}, createdAt: 1 });
      await store.close();
      const error = await store.getRun('r1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreClosedError);
      expect((error as StoreClosedError).code).toBe('STORE_CLOSED');
      await expect(store.append('r1', [entry('a')])).rejects.toBeInstanceOf(StoreClosedError);
      await expect(store.listRuns()).rejects.toBeInstanceOf(StoreClosedError);
      await expect(store.acquireLease('r1', { owner: 'o', host: 'h', pid: 1 }, 1, 0)).rejects.toBeInstanceOf(StoreClosedError);
      await expect(store.listDeadLetters()).rejects.toBeInstanceOf(StoreClosedError);
      expect(() => store.kv.set('k', 1)).toThrow(StoreClosedError);
      await expect(store.close()).resolves.toBeUndefined(); // closing twice is harmless
    });
  });
}
