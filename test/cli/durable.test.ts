import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openJournalStore } from '../../src/cli/commands/run.js';
import type { CliIo } from '../../src/cli/io.js';
import { StoreUnavailableError } from '../../src/store/errors.js';
import { openRunStore } from '../../src/store/open-run-store.js';
import { systemClock } from '../../src/util/clock.js';
import { ROOT } from './cli-process.js';
import { runCli, startCli } from './run-cli.js';

// Journaled runs from the command line: `run` journals into the run store, `runs`, `resume`,
// `approve` / `reject` and `dlq` read and continue them. Every test uses its own `--db` file.

const REPLIES = 'test/cli/fixtures/durable-replies.mjs';
const APPROVAL_PLAN = 'test/cli/fixtures/approval-plan.yaml';
const GOAL = 'Say something about owls';

let dir: string;
let db: string;
/** Who the scripted model answered, one line per call (see durable-replies.mjs). */
let calls: () => Promise<string[]>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskforce-durable-cli-'));
  db = join(dir, 't.db');
  const log = join(dir, 'calls.log');
  vi.stubEnv('TASKFORCE_TEST_LOG', log);
  calls = async () => {
    const text = await readFile(log, 'utf8').catch(() => '');
    await rm(log, { force: true });
    return text.split('\n').filter(Boolean);
  };
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

describe('taskforce run: the journal', () => {
  it('journals the run into --db, says so on stderr, and runs list / runs show print it', async () => {
    const run = await runCli(['run', '--db', db, '--run-id', 'owls-1', '--seed', '5', '--scripted', REPLIES, GOAL]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`run owls-1 · journal ${db} · resume with: taskforce resume owls-1 --db ${db}`);
    expect(existsSync(db)).toBe(true);

    const list = await runCli(['runs', 'list', '--db', db]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^RUN\s+STATUS\s+CREATED\s+COST\s+TASKS\s+GOAL/m);
    expect(list.stdout).toMatch(/^owls-1\s+completed\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+\$0\s+2\/2\s+Say something about owls$/m);

    const show = await runCli(['runs', 'show', '--db', db, 'owls-1']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^status\s+completed$/m);
    expect(show.stdout).toMatch(/^tasks\s+2\/2 completed$/m);
    expect(show.stdout).toMatch(/^lease\s+free$/m);
    expect(show.stdout).toMatch(/^journal\s+\d+ entries: .*4 model\.call.*2 task\.completed/m);

    const json = JSON.parse((await runCli(['runs', 'show', '--json', '--db', db, 'owls-1'])).stdout);
    expect(json.record).toMatchObject({ runId: 'owls-1', goal: GOAL, status: 'completed', tasksCompleted: 2, tasksTotal: 2 });
    // What `resume` needs without flags: the model source with an absolute path, and the settings.
    expect(json.record.options.metadata.cli).toEqual({ model: { kind: 'scripted', path: join(ROOT, REPLIES) }, agentsDirs: [], seed: 5 });
    expect(json.journal['run.finished']).toBe(1);
    expect(json.pendingApprovals).toEqual([]);
  });

  it('lists newest first, filters by --status, and prints JSON with --json', async () => {
    expect((await runCli(['run', '--db', db, '--run-id', 'first', '--json', '--scripted', REPLIES, GOAL])).code).toBe(0);
    expect((await runCli(['run', '--db', db, '--run-id', 'second', '--json', '--plan', APPROVAL_PLAN, '--scripted', REPLIES])).code).toBe(3);
    const all = JSON.parse((await runCli(['runs', 'list', '--json', '--db', db])).stdout);
    expect(all.runs.map((r: { runId: string; status: string }) => [r.runId, r.status])).toEqual([
      ['second', 'waiting'],
      ['first', 'completed'],
    ]);
    const waiting = await runCli(['runs', 'list', '--status', 'waiting', '--db', db]);
    expect(waiting.stdout).toMatch(/^second\s+waiting/m);
    expect(waiting.stdout).not.toMatch(/^first/m);
    expect((await runCli(['runs', 'list', '--limit', '1', '--json', '--db', db])).stdout).not.toContain('"first"');
    const bad = await runCli(['runs', 'list', '--status', 'done', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown status "done"');
  });

  it('puts the run id and store in the --json result, and stays quiet on stderr', async () => {
    const { code, stdout, stderr } = await runCli(['run', '--json', '--db', db, '--scripted', REPLIES, GOAL]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const result = JSON.parse(stdout);
    expect(result.durable).toMatchObject({ store: db, resumed: false, restoredTasks: 0 });
    expect(result.durable.runId).toMatch(/^run_[0-9a-f]{10}$/);
  });

  it('journals in memory by default in the tests (TASKFORCE_DB=:memory:), and runs unjournaled with --no-journal', async () => {
    const memory = await runCli(['run', '--scripted', REPLIES, GOAL]);
    expect(memory.code).toBe(0);
    expect(memory.stderr).toMatch(/run run_\w+ · journal in memory/);
    const none = await runCli(['run', '--json', '--no-journal', '--scripted', REPLIES, GOAL]);
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout).durable).toBeUndefined();
    const both = await runCli(['run', '--no-journal', '--db', db, '--scripted', REPLIES, GOAL]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--no-journal runs without a journal');
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a --run-id with characters a shell or a dead-letter id would trip on', async () => {
    const { code, stderr } = await runCli(['run', '--run-id', 'a b', '--scripted', REPLIES, GOAL]);
    expect(code).toBe(2);
    expect(stderr).toContain('--run-id must be letters, digits');
  });
});

describe('taskforce run without better-sqlite3', () => {
  const unavailable = async (options?: { path?: string }) => {
    throw new StoreUnavailableError(options?.path ?? 'default.db', new Error('Cannot find module better-sqlite3'));
  };
  const io = (): CliIo & { err: () => string } => {
    let err = '';
    return {
      stdout: { write: () => true },
      stderr: { write: (text: string) => ((err += text), true) },
      env: {},
      cwd: dir,
      interrupt: new AbortController().signal,
      clock: systemClock(),
      err: () => err,
    };
  };

  it('warns once on stderr and runs without a journal when no --db was given', async () => {
    const cli = io();
    expect(await openJournalStore(cli, undefined, unavailable)).toBeUndefined();
    expect(cli.err().match(/warning: running without a journal/g)).toHaveLength(1);
    expect(cli.err()).toContain('better-sqlite3 could not be loaded');
  });

  it('fails when --db names a store it cannot open', async () => {
    const cli = io();
    await expect(openJournalStore(cli, 'runs.db', unavailable)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(cli.err()).toBe('');
  });
});

describe('taskforce resume', () => {
  it('finishes a run cancelled with Ctrl-C without asking the planner or redoing a finished task, from the stored settings', async () => {
    vi.stubEnv('TASKFORCE_TEST_HOLD', 'summary');
    const cli = startCli(['run', '--db', db, '--run-id', 'cut', '--scripted', REPLIES, GOAL]);
    await cli.waitFor(/task summary started/);
    cli.interrupt();
    expect((await cli.done).code).toBe(130);
    // The interrupt lands while summary is in flight (its model call may not have been made yet).
    expect((await calls()).slice(0, 2)).toEqual(['planner', 'task:facts']);
    expect(JSON.parse((await runCli(['runs', 'show', '--json', '--db', db, 'cut'])).stdout).record.status).toBe('cancelled');

    vi.stubEnv('TASKFORCE_TEST_HOLD', '');
    // No model flag: the scripted replies come from the run record.
    const resumed = await runCli(['resume', '--json', '--db', db, 'cut']);
    expect(resumed.code).toBe(0);
    const result = JSON.parse(resumed.stdout);
    expect(result.ok).toBe(true);
    expect(result.model.provenance).toBe('scripted');
    expect(result.durable).toMatchObject({ runId: 'cut', resumed: true, restoredTasks: 1 });
    expect(result.output).toContain('[facts, summary]');
    expect(await calls()).toEqual(['task:summary', 'synthesizer']);
    expect(JSON.parse((await runCli(['runs', 'show', '--json', '--db', db, 'cut'])).stdout).record.status).toBe('completed');
  });

  it('prints the journal line and the answer, and a model flag given now overrides the stored one', async () => {
    expect((await runCli(['run', '--json', '--db', db, '--run-id', 'done', '--scripted', REPLIES, GOAL])).code).toBe(0);
    await calls();
    // A finished run answers from its journal: no model call at all, whatever the model.
    const again = await runCli(['resume', '--db', db, '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'done']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Replies are SCRIPTED: written by hand in test/cli/fixtures/two-tasks.mjs');
    expect(again.stderr).toContain(`run done · journal ${db}`);
    expect(again.stdout).toContain('Owls hunt at night and can turn their heads about 270 degrees [facts, summary].');
    expect(await calls()).toEqual([]);
  });

  it('exits 2 with RUN_NOT_FOUND for an unknown run id (resume, runs show, approve)', async () => {
    for (const argv of [['resume', '--db', db, 'nope'], ['runs', 'show', '--db', db, 'nope'], ['approve', '--db', db, 'nope', 't1']]) {
      const { code, stderr } = await runCli(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr).toContain(`run "nope" not found in store ${db} [RUN_NOT_FOUND]`);
    }
  });

  it('exits 1 with RUN_LEASED when another live process holds the run; approve then leaves it to that process', async () => {
    expect((await runCli(['run', '--json', '--db', db, '--run-id', 'held', '--plan', APPROVAL_PLAN, '--scripted', REPLIES])).code).toBe(3);
    const store = await openRunStore({ path: db });
    // This process is alive, and the lease's owner is not the CLI's: to the CLI it is another process.
    const lease = await store.acquireLease('held', { owner: 'elsewhere:1:abc', host: hostname(), pid: process.pid }, 60_000, Date.now());
    expect(lease.ok).toBe(true);
    await store.close();

    const resumed = await runCli(['resume', '--db', db, 'held']);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain(`run held is held by process ${process.pid}`);
    expect(resumed.stderr).toContain('[RUN_LEASED]');

    const show = await runCli(['runs', 'show', '--db', db, 'held']);
    expect(show.stdout).toMatch(new RegExp(`^lease\\s+held by process ${process.pid} on `, 'm'));

    await calls();
    const approved = await runCli(['approve', '--by', 'alice', '--db', db, 'held', 'summary']);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`approved summary of run held (by alice); process ${process.pid} on ${hostname()} holds the run`);
    expect(await calls()).toEqual([]);
    expect(JSON.parse((await runCli(['runs', 'show', '--json', '--db', db, 'held'])).stdout).pendingApprovals).toEqual([]);
  });
});

describe('taskforce approve / reject', () => {
  async function waitingRun(runId: string): Promise<void> {
    const run = await runCli(['run', '--db', db, '--run-id', runId, '--plan', APPROVAL_PLAN, '--scripted', REPLIES]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('PARTIAL — waiting for approval');
    expect(run.stderr).toContain(`waiting for approval of summary: taskforce approve ${runId} summary --db ${db}`);
    await calls();
  }

  it('a task with approval makes the run wait (exit 3); runs show lists it; approve records who and resumes to the end', async () => {
    await waitingRun('appr');
    const show = await runCli(['runs', 'show', '--db', db, 'appr']);
    expect(show.stdout).toMatch(/^status\s+waiting$/m);
    expect(show.stdout).toContain('pending approvals (1)');
    expect(show.stdout).toMatch(/^ {2}summary\s+task\s+—\s+requested \d{4}-/m);
    const json = JSON.parse((await runCli(['runs', 'show', '--json', '--db', db, 'appr'])).stdout);
    expect(json.pendingApprovals).toEqual([expect.objectContaining({ subject: expect.objectContaining({ kind: 'task', taskId: 'summary', path: '' }) })]);

    const approved = await runCli(['approve', '--by', 'alice', '--reason', 'looks fine', '--db', db, 'appr', 'summary']);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain('approved summary of run appr (by alice: looks fine); resuming run appr');
    expect(approved.stdout).toContain('=== Answer ===');
    expect(approved.stdout).toMatch(/✓ summary\s+completed/);
    // facts is not run again; summary and the synthesis are.
    expect(await calls()).toEqual(['task:summary', 'synthesizer']);
    const after = JSON.parse((await runCli(['runs', 'show', '--json', '--db', db, 'appr'])).stdout);
    expect(after.record.status).toBe('completed');
    expect(after.pendingApprovals).toEqual([]);
  });

  it('--no-resume records the decision only; a second decision on the same task is refused', async () => {
    await waitingRun('later');
    const approved = await runCli(['approve', '--no-resume', '--json', '--by', 'bob', '--db', db, 'later', 'summary']);
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toEqual({ runId: 'later', decision: 'approved', by: 'bob', tasks: ['summary'], resumed: false });
    expect(await calls()).toEqual([]);
    expect(JSON.parse((await runCli(['runs', 'show', '--json', '--db', db, 'later'])).stdout).record.status).toBe('waiting');

    const twice = await runCli(['reject', '--db', db, 'later', 'summary']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('has no pending approval for "summary"');
    expect(twice.stderr).toContain('[APPROVAL_NOT_PENDING]');

    const resumed = await runCli(['resume', '--json', '--db', db, 'later']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).ok).toBe(true);
  });

  it('reject makes the task fail with APPROVAL_REJECTED (exit 1), and names what is pending for a wrong task', async () => {
    await waitingRun('rej');
    const wrong = await runCli(['reject', '--db', db, 'rej', 'facts']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('run rej has no pending approval for "facts"; pending: summary');

    const rejected = await runCli(['reject', '--json', '--by', 'carol', '--reason', 'not now', '--db', db, 'rej', 'summary']);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('rejected summary of run rej (by carol: not now); resuming run rej');
    const result = JSON.parse(rejected.stdout);
    const summary = result.tree.tasks.find((t: { id: string }) => t.id === 'summary');
    expect(summary.status).toBe('failed');
    expect(summary.error.code).toBe('APPROVAL_REJECTED');
    expect(await calls()).not.toContain('task:summary');
    // A rejection is a decision, not a dead letter.
    expect(JSON.parse((await runCli(['dlq', 'list', '--json', '--db', db])).stdout).deadLetters).toEqual([]);
  });
});

describe('taskforce dlq', () => {
  it('a task that failed is a dead letter: list and show it; retry runs it (and its dependents) and finishes the run', async () => {
    const flag = join(dir, 'broken');
    await writeFile(flag, '');
    vi.stubEnv('TASKFORCE_TEST_FAIL_FLAG', flag);
    const failed = await runCli(['run', '--db', db, '--run-id', 'dl', '--scripted', REPLIES, GOAL]);
    expect(failed.code).toBe(1);
    await calls();

    const list = await runCli(['dlq', 'list', '--db', db]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^dl:facts\s+open\s+\S+: .*the research service is down \(1 attempt\(s\)\)/m);
    const listed = JSON.parse((await runCli(['dlq', 'list', '--json', '--run', 'dl', '--db', db])).stdout).deadLetters;
    expect(listed).toEqual([expect.objectContaining({ id: 'dl:facts', runId: 'dl', taskId: 'facts', status: 'open', attempts: 1 })]);
    expect(JSON.parse((await runCli(['dlq', 'list', '--json', '--run', 'other', '--db', db])).stdout).deadLetters).toEqual([]);

    const show = await runCli(['dlq', 'show', '--db', db, 'dl:facts']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^task\s+facts: Collect the facts$/m);
    expect(show.stdout).toMatch(/^error\s+\S+: .*the research service is down/m);
    expect(show.stdout).toMatch(/^attempts\s+1$/m);
    expect(show.stdout).toMatch(/^inputs\s+none$/m);
    expect(JSON.parse((await runCli(['dlq', 'show', '--json', '--db', db, 'dl:facts'])).stdout)).toMatchObject({ id: 'dl:facts', title: 'Collect the facts' });
    expect((await runCli(['runs', 'show', '--db', db, 'dl'])).stdout).toContain('dead letters (1)');

    // A plain resume does not run the failed task again.
    const plain = await runCli(['resume', '--json', '--db', db, 'dl']);
    expect(plain.code).toBe(1);
    expect(await calls()).not.toContain('task:facts');

    await rm(flag);
    const retried = await runCli(['dlq', 'retry', '--db', db, 'dl:facts']);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain('retrying dl:facts (task facts of run dl); resuming the run');
    expect(retried.stdout).toMatch(/✓ facts\s+completed/);
    expect(retried.stdout).toMatch(/✓ summary\s+completed/);
    expect(await calls()).toEqual(['task:facts', 'task:summary', 'synthesizer']);
    expect(JSON.parse((await runCli(['dlq', 'list', '--json', '--status', 'open', '--db', db])).stdout).deadLetters).toEqual([]);
    expect(JSON.parse((await runCli(['dlq', 'list', '--json', '--status', 'retried', '--db', db])).stdout).deadLetters).toHaveLength(1);
    expect(JSON.parse((await runCli(['runs', 'show', '--json', '--db', db, 'dl'])).stdout).record.status).toBe('completed');
  });

  it('exits 2 for an unknown dead letter, and for a flag of another subcommand', async () => {
    const show = await runCli(['dlq', 'show', '--db', db, 'nope:x']);
    expect(show.code).toBe(2);
    expect(show.stderr).toContain('no dead letter "nope:x"');
    const retry = await runCli(['dlq', 'retry', '--db', db, 'nope:x']);
    expect(retry.code).toBe(2);
    expect(retry.stderr).toContain('[DEAD_LETTER_NOT_FOUND]');
    const flag = await runCli(['dlq', 'show', '--run', 'x', '--db', db, 'nope:x']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--run cannot be used with "dlq show"');
  });
});
