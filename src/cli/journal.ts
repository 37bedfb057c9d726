import { randomUUID } from 'node:crypto';
import type { ModelSource } from '../eval/model-source.js';
import type { RefineOptions } from '../orchestrate/refine.js';
import type { CompensationOutcome } from '../orchestrate/types.js';
import type { RequestRecord } from '../durable/approvals.js';
import { RunNotFoundError } from '../store/errors.js';
import { leaseTakable } from '../store/lease-rules.js';
import { openRunStore } from '../store/open-run-store.js';
import type { DeadLetter, JournalEntry, Lease, RunRecord, RunStore } from '../store/run-store.js';
import { stringFlag, type FlagSpec, type ParsedArgs } from './args.js';
import { NO_COLOURS, type Colours } from './colour.js';
import { fit, formatUsd } from './format.js';
import { cliPath, type CliIo } from './io.js';

// What the journaling commands share (run, resume, runs, approve/reject, dlq): the store the flags
// name, the CLI settings a run record keeps so that `resume` needs no flags, and how records print.

/** `--db FILE`, taken by every command that reads or writes the run store. */
export const DB_FLAG = { db: { type: 'string' } } as const satisfies FlagSpec;

/** Help line for `DB_FLAG`. */
export const DB_FLAG_HELP = [
  '  --db FILE           the run store (default: TASKFORCE_DB, else .taskforce/taskforce.db;',
  '                      ":memory:" keeps it in this process only)',
].join('\n');

/** Opens the run store `--db` names, else `TASKFORCE_DB`, else `<cwd>/.taskforce/taskforce.db`. */
export function openCliStore(io: CliIo, parsed: ParsedArgs): Promise<RunStore> {
  const db = stringFlag(parsed, 'db');
  return openRunStore({ ...(db !== undefined ? { path: db } : {}), cwd: io.cwd, env: io.env });
}

/** Runs `work` on the store the flags name, closing it afterwards whatever happens. */
export async function withCliStore<T>(io: CliIo, parsed: ParsedArgs, work: (store: RunStore) => Promise<T>): Promise<T> {
  const store = await openCliStore(io, parsed);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The run's record, or `RunNotFoundError` (exit 2) naming the store. */
export async function requireRun(store: RunStore, runId: string): Promise<RunRecord> {
  const record = await store.getRun(runId);
  if (!record) throw new RunNotFoundError(runId, store.location);
  return record;
}

/** A fresh run id for `taskforce run` (never the runtime's, which a `--seed` makes the same every time). */
export function newRunId(): string {
  return `run_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/** What `--run-id` accepts: letters, digits, `_`, `.` and `-`, starting with a letter or digit. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/**
 * The settings of `taskforce run` that the library does not keep but a resume needs, kept in the run
 * record (`options.metadata.cli`): the model source as given (file paths absolute), agents, tools, limits.
 */
export interface CliRunMetadata {
  readonly model?: ModelSource;
  readonly agentsDirs: readonly string[];
  readonly mcpConfig?: string;
  readonly workspace?: string;
  readonly seed?: number;
  readonly strictAgents?: boolean;
  readonly maxDepth?: number;
  readonly concurrency?: number;
  readonly strategy?: string;
  readonly budgetUsd?: number;
  readonly refine?: RefineOptions;
  /** The workers' queue the run's agents ran on (`--redis`, `--queue`); the URL without credentials. */
  readonly queue?: { readonly redis: string; readonly name?: string };
}

/** A journaled CLI run: where, under which id, and what to keep in a new record. */
export interface CliJournal {
  readonly store: RunStore;
  readonly runId: string;
  /** Kept in the record when the run is new (a resumed record keeps what it has). */
  readonly metadata?: CliRunMetadata;
  /** `--db` as given, repeated in the commands the CLI suggests. */
  readonly db?: string;
}

/** The CLI metadata of a run started with these settings; paths are made absolute so a resume works from anywhere. */
export function cliRunMetadata(
  settings: Omit<CliRunMetadata, 'model'>,
  source: ModelSource | undefined,
  io: Pick<CliIo, 'cwd'>,
): CliRunMetadata {
  const model: ModelSource | undefined =
    source?.kind === 'spec' ? { kind: 'spec', spec: source.spec } : source?.kind === 'scripted' || source?.kind === 'cassette' ? { kind: source.kind, path: cliPath(io, source.path) } : undefined;
  const { agentsDirs, mcpConfig, workspace, seed, strictAgents, maxDepth, concurrency, strategy, budgetUsd, refine, queue } = settings;
  return {
    ...(model ? { model } : {}),
    agentsDirs: agentsDirs.map((dir) => cliPath(io, dir)),
    ...(mcpConfig !== undefined ? { mcpConfig: cliPath(io, mcpConfig) } : {}),
    ...(workspace !== undefined ? { workspace: cliPath(io, workspace) } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(strictAgents ? { strictAgents } : {}),
    ...(maxDepth !== undefined ? { maxDepth } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(strategy !== undefined ? { strategy } : {}),
    ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    ...(refine ? { refine } : {}),
    // Credentials stay out of the store: a resume gives them again (--redis, TASKFORCE_REDIS_URL).
    ...(queue ? { queue: { redis: queue.redis.replace(/\/\/[^@/]*@/, '//'), ...(queue.name !== undefined ? { name: queue.name } : {}) } } : {}),
  };
}

/** The CLI metadata a record keeps, or undefined (a run started from the library has none). */
export function storedCliMetadata(record: RunRecord): CliRunMetadata | undefined {
  const metadata = record.options.metadata;
  const cli = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>).cli : undefined;
  if (typeof cli !== 'object' || cli === null) return undefined;
  const agentsDirs = (cli as { agentsDirs?: unknown }).agentsDirs;
  return { ...(cli as CliRunMetadata), agentsDirs: Array.isArray(agentsDirs) ? agentsDirs.filter((d): d is string => typeof d === 'string') : [] };
}

/** A word the shell takes as one argument, quoted only when it needs it. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** ` --db FILE` when the run's store was named with `--db`, so a suggested command reaches the same store. */
export function dbArg(db: string | undefined): string {
  return db !== undefined ? ` --db ${shellWord(db)}` : '';
}

/** The line a journaled run starts with: its id, where the journal is, how to resume it. */
export function journalLine(journal: Pick<CliJournal, 'store' | 'runId' | 'db'>): string {
  if (journal.store.location === 'memory') return `run ${journal.runId} · journal in memory (":memory:"): it ends with this process`;
  return `run ${journal.runId} · journal ${journal.store.location} · resume with: taskforce resume ${shellWord(journal.runId)}${dbArg(journal.db)}`;
}

/** The command that decides approval `target` of run `runId`. */
export function approveHint(runId: string, target: string, db: string | undefined): string {
  return `taskforce approve ${shellWord(runId)} ${shellWord(target)}${dbArg(db)}  (or: taskforce reject ... --reason "why")`;
}

/** Whether another live process holds the run (its lease is neither free, expired, nor a dead process's on this host). */
export function heldByOther(lease: Lease | undefined, now: number): lease is Lease {
  return lease !== undefined && !leaseTakable(lease, '', now);
}

/** Clock ms as `2026-05-01 14:03:07 UTC`. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A pending approval's target as `approve` takes it: the task id, or `path/taskId` in a sub-run. */
export function approvalTarget(request: Pick<RequestRecord, 'subject'>): string {
  return request.subject.path ? `${request.subject.path}/${request.subject.taskId}` : request.subject.taskId;
}

/** `runs list`: one line per run, newest first. */
export function formatRunsTable(runs: readonly RunRecord[], colours: Colours = NO_COLOURS): string[] {
  const idWidth = Math.max(6, ...runs.map((run) => run.runId.length)) + 2;
  const header = colours.bold(`${fit('RUN', idWidth)}${fit('STATUS', 11)}${fit('CREATED', 25)}${fit('COST', 10)}${fit('TASKS', 8)}GOAL`);
  return [
    header,
    ...runs.map(
      (run) =>
        `${fit(run.runId, idWidth)}${paintStatus(fit(run.status, 11), run.status, colours)}${fit(formatTime(run.createdAt), 25)}` +
        `${fit(formatUsd(run.costUsd), 10)}${fit(`${run.tasksCompleted}/${run.tasksTotal}`, 8)}${clip(oneLine(run.goal), 60)}`,
    ),
  ];
}

/** Everything `runs show` reports about one run. */
export interface RunDetails {
  readonly record: RunRecord;
  readonly pendingApprovals: readonly RequestRecord[];
  readonly deadLetters: readonly DeadLetter[];
  readonly compensations: readonly CompensationOutcome[];
  /** Journal entries per kind. */
  readonly journal: Readonly<Record<string, number>>;
  /** The lease, when another live process holds the run. */
  readonly heldBy?: Lease;
}

/** Reads what `runs show` prints about run `runId`. */
export async function runDetails(store: RunStore, record: RunRecord, pendingApprovals: readonly RequestRecord[], now: number): Promise<RunDetails> {
  const entries: JournalEntry[] = await store.journal(record.runId);
  const journal: Record<string, number> = {};
  for (const entry of entries) journal[entry.kind] = (journal[entry.kind] ?? 0) + 1;
  const compensations = entries.filter((e) => e.kind === 'compensation.completed').map((e) => e.data as CompensationOutcome);
  const deadLetters = await store.listDeadLetters({ runId: record.runId });
  return { record, pendingApprovals, deadLetters, compensations, journal, ...(heldByOther(record.lease, now) ? { heldBy: record.lease } : {}) };
}

/** `runs show` in words. */
export function formatRunDetails(details: RunDetails, options: { readonly db?: string; readonly colours?: Colours } = {}): string[] {
  const { record } = details;
  const colours = options.colours ?? NO_COLOURS;
  const lines = [
    colours.bold(`run ${record.runId}`),
    `status     ${paintStatus(record.status, record.status, colours)}`,
    `goal       ${clip(oneLine(record.goal), 200)}`,
    `created    ${formatTime(record.createdAt)}`,
    `updated    ${formatTime(record.updatedAt)}`,
    `cost       ${formatUsd(record.costUsd)}`,
    `tasks      ${record.tasksCompleted}/${record.tasksTotal} completed`,
    ...(record.detail ? [`stopped    ${clip(oneLine(record.detail), 200)}`] : []),
    `lease      ${details.heldBy ? `held by process ${details.heldBy.pid} on ${details.heldBy.host} until ${formatTime(details.heldBy.expiresAt)}` : 'free'}`,
    `journal    ${formatCounts(details.journal)}`,
  ];
  if (details.pendingApprovals.length > 0) {
    lines.push('', colours.bold(`pending approvals (${details.pendingApprovals.length})`));
    for (const request of details.pendingApprovals) {
      const { subject } = request;
      lines.push(`  ${fit(approvalTarget(request), 16)} ${fit(subject.kind, 6)} ${fit(subject.name ?? '—', 16)} requested ${formatTime(request.requestedAt)}`);
      lines.push(`      ${approveHint(record.runId, approvalTarget(request), options.db)}`);
    }
  }
  if (details.deadLetters.length > 0) {
    lines.push('', colours.bold(`dead letters (${details.deadLetters.length})`));
    for (const letter of details.deadLetters) lines.push(`  ${deadLetterLine(letter, colours)}`);
  }
  if (details.compensations.length > 0) {
    lines.push('', colours.bold(`compensations (${details.compensations.length})`));
    for (const c of details.compensations)
      lines.push(`  ${fit(c.path ? `${c.path}/${c.taskId}` : c.taskId, 16)} ${c.status}${c.error ? `: ${clip(oneLine(c.error), 100)}` : ''}`);
  }
  return lines;
}

/** One dead letter on one line: id, status, error, attempts. */
export function deadLetterLine(letter: DeadLetter, colours: Colours = NO_COLOURS): string {
  const status = letter.status === 'open' ? colours.red(fit(letter.status, 8)) : colours.dim(fit(letter.status, 8));
  return `${letter.id}  ${status} ${letter.error.code}: ${clip(oneLine(letter.error.message), 80)} (${letter.attempts} attempt(s))`;
}

/** `12 entries: 4 model.call, 2 task.completed` */
function formatCounts(counts: Readonly<Record<string, number>>): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total === 0) return 'empty';
  const parts = Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([kind, n]) => `${n} ${kind}`);
  return `${total} entries: ${parts.join(', ')}`;
}

function paintStatus(text: string, status: RunRecord['status'], colours: Colours): string {
  switch (status) {
    case 'completed':
      return colours.green(text);
    case 'failed':
      return colours.red(text);
    case 'waiting':
    case 'running':
      return colours.yellow(text);
    default:
      return colours.dim(text);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
