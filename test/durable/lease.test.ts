import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { openSqliteRunStore } from '../../src/store/sqlite-run-store.js';
import { scripted } from '../orchestrate/helpers.js';

const PLAN = { owls: [{ id: 'facts' }, { id: 'summary', dependsOn: ['facts'] }] };
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('durable runs: the lease', () => {
  it('of two processes resuming one run, one runs it and the other gets RUN_LEASED naming the holder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-lease-'));
    dirs.push(dir);
    const path = join(dir, 'runs.db');
    // Two stores on one file stand for two processes.
    const [a, b] = [await openSqliteRunStore(path), await openSqliteRunStore(path)];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const holder = scripted({ plans: PLAN }, { durable: a, runId: 'run_shared', beforeModelCall: () => gate });
    const running = orchestrate('Tell me about owls', holder.options);
    // Wait until the first holds the lease (its record exists and is running).
    while ((await b.getRun('run_shared'))?.lease === undefined) await new Promise((r) => setTimeout(r, 5));
    const other = scripted({ plans: PLAN }, { durable: b, runId: 'run_shared' });
    await expect(orchestrate('Tell me about owls', other.options)).rejects.toMatchObject({
      code: 'RUN_LEASED',
      message: expect.stringMatching(new RegExp(`held by process ${process.pid} on `)),
    });
    expect(other.provider.requests).toHaveLength(0);
    release();
    const finished = await running;
    expect(finished.stoppedBy).toBeUndefined();
    // Released at the end: the other process may now open it (and gets the finished result).
    const after = await orchestrate('Tell me about owls', scripted({ plans: PLAN }, { durable: b, runId: 'run_shared' }).options);
    expect(after.output).toBe(finished.output);
    expect(after.durable).toMatchObject({ resumed: true, restoredTasks: 2 });
    expect((await b.getRun('run_shared'))?.lease).toBeUndefined();
    await a.close();
    await b.close();
  });

  it('resuming with another goal is refused, naming both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-lease-'));
    dirs.push(dir);
    const store = await openSqliteRunStore(join(dir, 'runs.db'));
    await orchestrate('Tell me about owls', scripted({ plans: PLAN }, { durable: store, runId: 'run_goal' }).options);
    await expect(orchestrate('Tell me about bats', scripted({ plans: PLAN }, { durable: store, runId: 'run_goal' }).options)).rejects.toMatchObject({
      code: 'RUN_NOT_RESUMABLE',
      message: expect.stringContaining('"Tell me about owls", not "Tell me about bats"'),
    });
    await store.close();
  });
});
