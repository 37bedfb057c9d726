import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteRunStore } from '../../src/store/sqlite-run-store.js';
import { seededRandom } from '../../src/util/random.js';
import { startBuiltCli, type CliRun } from '../cli/cli-process.js';
import { CountingProvider, type ReceivedRequest } from './counting-provider.js';

// The crash test of durable runs: the real CLI, the real OpenAI SDK, a loopback provider that counts
// requests; each run is killed with SIGKILL at a seeded random point and resumed. The resumed result
// must equal the uninterrupted one, and no call the journal had completed may reach the provider again.

const PLAN = {
  tasks: [
    task('gather', 'Gather the sightings', []),
    task('clean', 'Clean the sightings', ['gather']),
    task('weather', 'Collect the weather', []),
    task('merge', 'Merge sightings and weather', ['clean', 'weather']),
    task('map', 'Map the nests', ['gather']),
    task('report', 'Write the census report', ['merge', 'map']),
  ],
};
const GOAL = 'Run the yearly owl census';
const KILLS = 20;

function task(id: string, title: string, dependsOn: string[]) {
  return { id, title, instructions: `${title} for the owl census.`, capabilities: [], dependsOn, priority: 'medium', effort: 1, decomposable: false };
}

interface RunJson {
  readonly output: string;
  readonly tree: { readonly tasks: readonly { readonly id: string; readonly status: string; readonly output?: string }[] };
  readonly metrics: { readonly modelCalls: number; readonly costUsd: number };
}

describe('durable runs survive SIGKILL (the real CLI, the OpenAI SDK, a loopback provider)', () => {
  const provider = new CountingProvider(PLAN);
  let dir = '';
  // Each process gets a base URL of its own, so the server knows which process sent what.
  const cli = (client: string, args: string[]) =>
    startBuiltCli([...args, '--db', join(dir, 'runs.db'), '--json'], {
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: provider.baseURL(client) },
      cwd: dir,
    });
  const runArgs = (runId: string) => ['run', '--model', 'openai:gpt-4o-mini', '--concurrency', '1', '--max-depth', '0', '--refine', '2', '--seed', '1', '--run-id', runId, GOAL];
  const parsed = (run: CliRun): RunJson => {
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as RunJson;
  };
  const shape = (result: RunJson) => ({
    output: result.output,
    tasks: result.tree.tasks.map((t) => [t.id, t.status, t.output]),
    modelCalls: result.metrics.modelCalls,
  });
  /** The replies a run's journal holds: the calls it had completed (the server's replies are unique per call). */
  const journaledReplies = async (runId: string): Promise<Set<string>> => {
    const store = await openSqliteRunStore(join(dir, 'runs.db'));
    try {
      return new Set((await store.journal(runId)).filter((e) => e.kind === 'model.call').map((e) => (e.data as { text: string }).text));
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    await provider.start();
    dir = mkdtempSync(join(tmpdir(), 'tf-crash-'));
  });
  afterAll(async () => {
    await provider.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`resumes each of ${KILLS} runs killed at seeded random points to the uninterrupted result, without repeating a completed call`, { timeout: 240_000 }, async () => {
    const baseline = parsed(await cli('baseline', runArgs('baseline')).done);
    const calls = provider.from('baseline').length;
    // Plan, six tasks, synthesis, then one refine round (critique, revision); the revision converged.
    expect(provider.from('baseline').map((r) => r.kind)).toEqual(['planner', ...PLAN.tasks.map(() => 'worker'), 'synthesizer', 'critic', 'reviser']);
    expect(baseline.output).toContain('(revised)');
    expect(baseline.tree.tasks.every((t) => t.status === 'completed')).toBe(true);

    const resent: number[] = [];
    const random = seededRandom(20261206);
    for (let i = 0; i < KILLS; i++) {
      const runId = `crash-${i}`;
      // Killed when its k-th request arrives, or just after the k-th reply was written (which the
      // process may or may not have journaled when the signal lands).
      const k = 1 + Math.floor(random.next() * calls);
      const mode = random.next() < 0.5 ? 'on-arrival' : 'after-reply';
      const victim = `kill-${i}`;
      const process = cli(victim, runArgs(runId));
      const kill = (request: ReceivedRequest) => request.client === victim && request.n === k && process.child.kill('SIGKILL');
      provider.onArrival = (request) => (mode === 'on-arrival' && kill(request) ? 'hold' : 'answer');
      provider.onAnswered = (request) => void (mode === 'after-reply' && kill(request));
      const killed = await process.done;
      provider.onArrival = () => 'answer';
      provider.onAnswered = () => undefined;
      const where = `run ${i} (killed at request ${k}, ${mode})`;
      expect(killed.signal, `${where} was not killed:\n${killed.stderr}`).toBe('SIGKILL');

      // What the journal says was completed: every call before the k-th (one call at a time, each
      // journaled before the next is made), and maybe the k-th.
      const journaled = await journaledReplies(runId);
      const before = provider.from(victim);
      const completed = before.filter((r) => r.reply !== undefined && journaled.has(r.reply));
      expect(completed.map((r) => r.n), where).toEqual(before.slice(0, completed.length).map((r) => r.n));
      expect(completed.length, where).toBeGreaterThanOrEqual(k - 1);

      const resumed = parsed(await cli(`resume-${i}`, ['resume', runId]).done);
      const completedBodies = new Set(completed.map((r) => r.body));
      const repeated = provider.from(`resume-${i}`).filter((r) => completedBodies.has(r.body));
      expect(repeated.map((r) => r.kind), `${where}: calls the journal had completed went to the provider again`).toEqual([]);
      expect(shape(resumed), where).toEqual(shape(baseline));
      resent.push(provider.from(`resume-${i}`).length);
    }
    // The kills fell all over the run: some resumes had most of it left to do, some almost nothing.
    expect(Math.max(...resent)).toBeGreaterThanOrEqual(calls - 2);
    expect(Math.min(...resent)).toBeLessThanOrEqual(2);
  });

  it('waits for approval across process exits: run exits 3, approve in another process finishes it with who and why', async () => {
    const planFile = join(dir, 'publish.json');
    writeFileSync(planFile, JSON.stringify({ goal: 'Publish the census', tasks: [PLAN.tasks[0], { ...task('publish', 'Publish the census', ['gather']), approval: true }] }));
    const waiting = await cli('approval-run', ['run', '--model', 'openai:gpt-4o-mini', '--plan', planFile, '--run-id', 'census-pub']).done;
    expect(waiting.code, waiting.stderr).toBe(3);
    expect(JSON.parse(waiting.stdout).stoppedBy).toMatchObject({ kind: 'waiting', taskIds: ['publish'] });
    expect(provider.from('approval-run').map((r) => r.kind)).toEqual(['worker']);

    const approved = await cli('approval-approve', ['approve', 'census-pub', 'publish', '--by', 'maria', '--reason', 'figures checked']).done;
    expect(approved.code, approved.stderr).toBe(0);
    // Only the approved task (and the synthesis) ran in the new process.
    expect(provider.from('approval-approve').map((r) => r.kind)).toEqual(['worker', 'synthesizer']);
    const store = await openSqliteRunStore(join(dir, 'runs.db'));
    try {
      expect((await store.getRun('census-pub'))?.status).toBe('completed');
      const decided = (await store.journal('census-pub')).find((e) => e.kind === 'approval.decided');
      expect(decided?.data).toMatchObject({ decision: 'approved', by: 'maria', reason: 'figures checked' });
    } finally {
      await store.close();
    }
  });

  it("leaves a store that passes SQLite's integrity check and lists every run as completed", async () => {
    const store = await openSqliteRunStore(join(dir, 'runs.db'));
    try {
      const runs = await store.listRuns();
      expect(runs.map((r) => r.status).filter((s) => s !== 'completed')).toEqual([]);
      expect(runs).toHaveLength(KILLS + 2);
      for (const run of runs) expect((await store.journal(run.runId)).some((e) => e.kind === 'run.finished')).toBe(true);
    } finally {
      await store.close();
    }
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(dir, 'runs.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
