import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { TaskforceError } from '../errors/taskforce-error.js';
import type { NewRun, RunRecord, RunStore, RunUpdate } from '../store/run-store.js';
import type { Clock } from '../util/clock.js';
import { RunLeasedError, RunNotResumableError } from './errors.js';
import { RunJournal } from './journal.js';

/** How long a lease lasts without renewal; a holder renews it every third of that. */
export const LEASE_TTL_MS = 30_000;

/** A run this process holds: its journal, and the lease it keeps renewing until `end`. */
export interface DurableRun {
  readonly runId: string;
  readonly store: RunStore;
  readonly journal: RunJournal;
  /** The record as it was when this process took the run (absent fields for a new run). */
  readonly record: RunRecord;
  /** Whether an earlier process started this run. */
  readonly resumed: boolean;
  /** Updates the record (status, spend, counts). */
  update(update: Omit<RunUpdate, 'updatedAt'>): Promise<void>;
  /** Writes the final record and releases the lease. */
  end(update: Omit<RunUpdate, 'updatedAt'>): Promise<void>;
}

/**
 * Takes run `runId` in `store` for this process: creates it (with `goal` and the resumable `options`)
 * if it is new, checks the goal if it exists, takes its lease and opens its journal.
 *
 * @throws RunLeasedError when another live process holds it; RunNotResumableError when the stored goal differs.
 */
export async function startDurableRun(
  store: RunStore,
  run: { readonly runId: string; readonly goal: string; readonly options: Readonly<Record<string, unknown>> },
  clock: Clock,
): Promise<DurableRun> {
  const { runId } = run;
  const existing = await store.getRun(runId);
  if (existing && existing.goal !== run.goal)
    throw new RunNotResumableError(runId, `it was started for another goal ("${clip(existing.goal)}", not "${clip(run.goal)}")`);
  const owner = { owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, host: hostname(), pid: process.pid };
  // Of two processes starting one new id, one creates it; both then race for the lease, and one wins.
  let record = existing ?? (await createOrRead(store, { runId, goal: run.goal, options: run.options, createdAt: clock.now() }));
  // Leases coordinate processes, which share only the wall clock: never the run's (injectable) clock.
  const lease = await store.acquireLease(runId, owner, LEASE_TTL_MS, Date.now());
  if (!lease.ok) throw new RunLeasedError(runId, lease.holder);
  try {
    record = await store.updateRun(runId, { status: 'running', updatedAt: clock.now() });
  } catch (error) {
    await store.releaseLease(runId, owner.owner);
    throw error;
  }
  const journal = await RunJournal.open(store, runId, clock);
  const renewal = setInterval(() => void store.renewLease(runId, owner.owner, LEASE_TTL_MS, Date.now()).catch(() => undefined), LEASE_TTL_MS / 3);
  renewal.unref();
  return {
    runId,
    store,
    journal,
    record,
    resumed: journal.resumedEntries > 0,
    update: async (update) => void (await store.updateRun(runId, { ...update, updatedAt: clock.now() })),
    async end(update) {
      clearInterval(renewal);
      try {
        await store.updateRun(runId, { ...update, updatedAt: clock.now() });
      } finally {
        await store.releaseLease(runId, owner.owner);
      }
    },
  };
}

async function createOrRead(store: RunStore, run: NewRun): Promise<RunRecord> {
  try {
    return await store.createRun(run);
  } catch (error) {
    const raced = TaskforceError.isInstance(error) && error.code === 'RUN_EXISTS' ? await store.getRun(run.runId) : undefined;
    if (!raced) throw error;
    return raced;
  }
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
