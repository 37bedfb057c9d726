import type { Clock } from '../util/clock.js';
import type { JournalAppend, JournalEntry, RunStore } from '../store/run-store.js';

/** The kinds of entry a run journals. */
export type JournalKind =
  | 'plan.accepted'
  | 'task.completed'
  | 'task.failed'
  | 'task.retry'
  | 'model.call'
  | 'tool.call'
  | 'tool.started'
  | 'synthesis.completed'
  | 'approval.requested'
  | 'approval.decided'
  | 'compensation.completed'
  | 'run.finished';

/**
 * One run's journal while it executes: what earlier processes recorded (read once, indexed by kind,
 * path and key) and what this one appends. An append resolves when the store has it durably, so
 * anything a caller acts on after `await append(...)` survives a crash.
 */
export class RunJournal {
  private readonly index = new Map<string, JournalEntry>();
  private readonly ordered: JournalEntry[] = [];
  private readonly seqs = new Set<number>();
  /** Per node, how many calls with each digest were made in this process (`model.call` keys). */
  private readonly occurrences = new Map<string, number>();
  private readonly loaded: number;
  /** Model calls answered from the journal in this process. */
  replayedCalls = 0;

  private constructor(
    readonly store: RunStore,
    readonly runId: string,
    private readonly clock: Clock,
    entries: readonly JournalEntry[],
  ) {
    for (const entry of entries) this.remember(entry);
    this.loaded = entries.length;
  }

  static async open(store: RunStore, runId: string, clock: Clock): Promise<RunJournal> {
    return new RunJournal(store, runId, clock, await store.journal(runId));
  }

  /** Entries read from earlier processes. */
  get resumedEntries(): number {
    return this.loaded;
  }

  get<T = unknown>(kind: JournalKind, path: string, key: string): T | undefined {
    return this.index.get(indexKey(kind, path, key))?.data as T | undefined;
  }

  has(kind: JournalKind, path: string, key: string): boolean {
    return this.index.has(indexKey(kind, path, key));
  }

  /** Every entry of `kind`, in append order. */
  all(kind: JournalKind): JournalEntry[] {
    return this.ordered.filter((entry) => entry.kind === kind);
  }

  /** The entry itself (with its `seq`), if any. */
  entry(kind: JournalKind, path: string, key: string): JournalEntry | undefined {
    return this.index.get(indexKey(kind, path, key));
  }

  /**
   * Appends one entry; resolves with its `seq` once the store has it durably. Entries appended in the
   * same turn of the event loop (concurrent tasks finishing together) go to the store as one
   * transaction: one sync to disk for all of them (group commit), each still durable before it resolves.
   */
  append(kind: JournalKind, path: string, key: string, data: unknown): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ entry: { kind, path, key, data, at: this.clock.now() }, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.commit());
    });
  }

  private readonly pending: { readonly entry: JournalAppend; readonly resolve: (seq: number) => void; readonly reject: (error: unknown) => void }[] = [];

  private async commit(): Promise<void> {
    const batch = this.pending.splice(0);
    try {
      const seqs = await this.store.append(this.runId, batch.map((b) => b.entry));
      batch.forEach((b, i) => {
        this.remember({ ...b.entry, seq: seqs[i]! });
        b.resolve(seqs[i]!);
      });
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }

  /** Reads what other processes appended since (an approval decided from the CLI). */
  async refresh(): Promise<void> {
    const last = this.ordered.at(-1)?.seq ?? 0;
    for (const entry of await this.store.journal(this.runId, { afterSeq: last })) this.remember(entry);
  }

  /** The next occurrence number of `digest` at `node` in this process: 1, 2, ... */
  nextOccurrence(node: string, digest: string): number {
    const key = `${node}\u0000${digest}`;
    const n = (this.occurrences.get(key) ?? 0) + 1;
    this.occurrences.set(key, n);
    return n;
  }

  private remember(entry: JournalEntry): void {
    // A refresh may read back an entry this process appended and already remembers.
    if (this.seqs.has(entry.seq)) return;
    this.seqs.add(entry.seq);
    this.index.set(indexKey(entry.kind as JournalKind, entry.path, entry.key), entry);
    this.ordered.push(entry);
  }
}

function indexKey(kind: JournalKind, path: string, key: string): string {
  return `${kind}\u0000${path}\u0000${key}`;
}

/** The path of a task's node: `""` + `t1` → `t1`; `t1` + `t2` → `t1/t2`. */
export function childPath(path: string, segment: string): string {
  return path === '' ? segment : `${path}/${segment}`;
}
