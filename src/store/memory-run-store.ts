import { RunExistsError, RunNotFoundError, StoreClosedError } from './errors.js';
import { encodeEntries } from './journal-json.js';
import type { Store } from './kv-store.js';
import { leaseTakable } from './lease-rules.js';
import { memoryStore } from './memory-store.js';
import type { DeadLetter, JournalEntry, Lease, RunRecord, RunStore } from './run-store.js';

const LOCATION = 'memory';

/**
 * A `RunStore` held in memory, private to the process: for tests, `--no-store` runs and `:memory:`.
 * Everything is copied in and out (`structuredClone`), so callers never share state with it. Journal
 * data must still be plain JSON, as in a durable store, so code that works here works there.
 */
export function memoryRunStore(options: { kv?: Record<string, unknown> } = {}): RunStore {
  // Maps keep insertion order, which breaks createdAt ties in "newest first" lists.
  const runs = new Map<string, RunRecord>();
  const journals = new Map<string, JournalEntry[]>();
  const letters = new Map<string, DeadLetter>();
  const kv = memoryStore(options.kv);
  let closed = false;

  const check = (operation: string) => {
    if (closed) throw new StoreClosedError(LOCATION, operation);
  };
  const existing = (runId: string): RunRecord => {
    const run = runs.get(runId);
    if (!run) throw new RunNotFoundError(runId, LOCATION);
    return run;
  };
  const newestFirst = <T extends { createdAt: number }>(items: Iterable<T>): T[] =>
    [...items].map((item, index) => ({ item, index })).sort((a, b) => b.item.createdAt - a.item.createdAt || b.index - a.index).map(({ item }) => item);

  const guardedKv: Store = {
    get: (key) => (check('kv.get'), kv.get(key)),
    set: (key, value) => (check('kv.set'), kv.set(key, value)),
    keys: (prefix) => (check('kv.keys'), kv.keys(prefix)),
    flush: async () => check('kv.flush'),
  };

  return {
    location: LOCATION,
    kv: guardedKv,

    async createRun(run) {
      check('createRun');
      if (runs.has(run.runId)) throw new RunExistsError(run.runId, LOCATION);
      const record: RunRecord = {
        runId: run.runId,
        goal: run.goal,
        status: 'running',
        createdAt: run.createdAt,
        updatedAt: run.createdAt,
        options: structuredClone(run.options),
        costUsd: 0,
        tasksCompleted: 0,
        tasksTotal: 0,
      };
      runs.set(run.runId, record);
      journals.set(run.runId, []);
      return structuredClone(record);
    },
    async getRun(runId) {
      check('getRun');
      const run = runs.get(runId);
      return run && structuredClone(run);
    },
    async listRuns({ status, limit } = {}) {
      check('listRuns');
      const matching = newestFirst([...runs.values()].filter((run) => status === undefined || run.status === status));
      return structuredClone(limit === undefined ? matching : matching.slice(0, limit));
    },
    async updateRun(runId, update) {
      check('updateRun');
      const run = existing(runId);
      const defined = Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined));
      const next: RunRecord = { ...run, ...structuredClone(defined) };
      runs.set(runId, next);
      return structuredClone(next);
    },

    async append(runId, entries) {
      check('append');
      existing(runId);
      encodeEntries(runId, entries); // validates the whole batch before any of it is kept
      const journal = journals.get(runId)!;
      const added = entries.map((entry, index): JournalEntry => ({
        kind: entry.kind,
        path: entry.path,
        key: entry.key,
        data: entry.data === undefined ? null : structuredClone(entry.data),
        at: entry.at,
        seq: journal.length + index + 1,
      }));
      journal.push(...added);
      return added.map((entry) => entry.seq);
    },
    async journal(runId, { afterSeq = 0 } = {}) {
      check('journal');
      return structuredClone((journals.get(runId) ?? []).filter((entry) => entry.seq > afterSeq));
    },

    async acquireLease(runId, owner, ttlMs, now) {
      check('acquireLease');
      const run = existing(runId);
      if (!leaseTakable(run.lease, owner.owner, now)) return { ok: false, holder: structuredClone(run.lease!) };
      const lease: Lease = { owner: owner.owner, host: owner.host, pid: owner.pid, expiresAt: now + ttlMs };
      runs.set(runId, { ...run, lease });
      return { ok: true, lease: { ...lease } };
    },
    async renewLease(runId, owner, ttlMs, now) {
      check('renewLease');
      const run = runs.get(runId);
      if (run?.lease?.owner !== owner) return false;
      runs.set(runId, { ...run, lease: { ...run.lease, expiresAt: now + ttlMs } });
      return true;
    },
    async releaseLease(runId, owner) {
      check('releaseLease');
      const run = runs.get(runId);
      if (run?.lease?.owner !== owner) return;
      const { lease: _released, ...rest } = run;
      runs.set(runId, rest);
    },

    async putDeadLetter(letter) {
      check('putDeadLetter');
      letters.set(letter.id, structuredClone(letter));
    },
    async listDeadLetters({ runId, status } = {}) {
      check('listDeadLetters');
      const matching = [...letters.values()].filter((l) => (runId === undefined || l.runId === runId) && (status === undefined || l.status === status));
      return structuredClone(newestFirst(matching));
    },
    async getDeadLetter(id) {
      check('getDeadLetter');
      const letter = letters.get(id);
      return letter && structuredClone(letter);
    },

    async close() {
      closed = true;
    },
  };
}
