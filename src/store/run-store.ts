import type { Store } from './kv-store.js';

/**
 * Where a run stands. `running`: a process holds it (or held it when it crashed); `waiting`: it stopped
 * for a human decision and continues after `approve` / `reject`; the others are final, though a
 * `failed`, `cancelled` or `stopped` run may still be resumed (a dead letter retried, a budget raised).
 */
export type RunStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled' | 'stopped';

/** One run as the store keeps it: enough to list it, resume it and say where it stopped. */
export interface RunRecord {
  readonly runId: string;
  readonly goal: string;
  readonly status: RunStatus;
  /** Clock ms. */
  readonly createdAt: number;
  readonly updatedAt: number;
  /** The options needed to resume it (plain JSON: strategy name, limits, seed...). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Spend so far, as last journaled. */
  readonly costUsd: number;
  readonly tasksCompleted: number;
  readonly tasksTotal: number;
  /** Why it stopped, in words (a stop's detail, a failure's message, the pending approvals). */
  readonly detail?: string;
  /** Who holds it now, if anyone. */
  readonly lease?: Lease;
}

/** A claim on a run by one process: while it holds, no other process may write the run's journal. */
export interface Lease {
  /** `host:pid:nonce`, unique per process. */
  readonly owner: string;
  readonly host: string;
  readonly pid: number;
  /** Clock ms after which the lease is free even if its holder never released it. */
  readonly expiresAt: number;
}

/** What `createRun` needs; status starts at `running`. */
export interface NewRun {
  readonly runId: string;
  readonly goal: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

/** Fields `updateRun` may change. */
export type RunUpdate = Partial<Pick<RunRecord, 'status' | 'costUsd' | 'tasksCompleted' | 'tasksTotal' | 'detail'>> & { readonly updatedAt: number };

/** One entry to append to a run's journal. */
export interface JournalAppend {
  /** What happened: `plan.accepted`, `task.completed`, `model.call`, `tool.call`, ... */
  readonly kind: string;
  /** Where it happened: a path in the run tree (`""` for the top level, `"t2"`, `"t2/t1"` for a sub-run's task). */
  readonly path: string;
  /** Identifies the entry within its kind and path (a task id, a model call's digest and occurrence). */
  readonly key: string;
  /** Plain JSON. */
  readonly data: unknown;
  readonly at: number;
}

/** A journal entry as read back, with its place in the journal. */
export interface JournalEntry extends JournalAppend {
  /** 1, 2, 3... per run, in append order. */
  readonly seq: number;
}

/** A task that exhausted its retries, kept with what it needs to run again. */
export interface DeadLetter {
  /** `runId:path:taskId`. */
  readonly id: string;
  readonly runId: string;
  readonly path: string;
  readonly taskId: string;
  readonly title: string;
  /** The outputs of its dependencies, as it received them. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly error: { readonly message: string; readonly code: string };
  readonly attempts: number;
  readonly createdAt: number;
  /** `open` until `dlq retry` runs it again. */
  readonly status: 'open' | 'retried';
}

/** What `acquireLease` answers: the lease, or who holds it. */
export type LeaseResult = { readonly ok: true; readonly lease: Lease } | { readonly ok: false; readonly holder: Lease };

/**
 * The one durable store of a Taskforce installation: run records and their journals, leases, dead
 * letters, and the key-value data learning strategies keep (reputations, pheromone trails).
 *
 * Every method is async so that a networked backend (Redis, Postgres) can implement it; the SQLite
 * store answers at once. `kv` is the exception: strategies read it synchronously, so a store loads it
 * when it opens and writes it through.
 */
export interface RunStore {
  /** Where it lives, for messages (`memory`, a file path, a URL). */
  readonly location: string;
  readonly kv: Store;

  /** @throws RunExistsError when a run with this id exists. */
  createRun(run: NewRun): Promise<RunRecord>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  listRuns(options?: { readonly status?: RunStatus; readonly limit?: number }): Promise<RunRecord[]>;
  /** @throws RunNotFoundError */
  updateRun(runId: string, update: RunUpdate): Promise<RunRecord>;

  /**
   * Appends `entries` to the run's journal in one transaction: all of them are durable when it
   * resolves, or none. Returns their `seq`s.
   */
  append(runId: string, entries: readonly JournalAppend[]): Promise<number[]>;
  /**
   * The run's journal in append order, from `afterSeq` on. An entry whose checksum does not match (a
   * torn last write) ends the journal there: it and anything after it are dropped, never returned.
   */
  journal(runId: string, options?: { readonly afterSeq?: number }): Promise<JournalEntry[]>;

  /**
   * Takes the run's lease for `owner` until `now + ttlMs`. Free leases, expired ones, the owner's own,
   * and (on this host) one whose process is no longer alive can be taken; otherwise the holder is
   * returned. Atomic: of two processes racing, one wins.
   */
  acquireLease(runId: string, owner: Omit<Lease, 'expiresAt'>, ttlMs: number, now: number): Promise<LeaseResult>;
  /** Extends the lease if `owner` still holds it; false when it was lost. */
  renewLease(runId: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLease(runId: string, owner: string): Promise<void>;

  /** Adds or replaces the dead letter with this id. */
  putDeadLetter(letter: DeadLetter): Promise<void>;
  /** Newest first; only the run's when `runId` is given. */
  listDeadLetters(options?: { readonly runId?: string; readonly status?: DeadLetter['status'] }): Promise<DeadLetter[]>;
  getDeadLetter(id: string): Promise<DeadLetter | undefined>;

  /** Writes what is pending (kv included) and releases the database. Further calls throw. */
  close(): Promise<void>;
}
