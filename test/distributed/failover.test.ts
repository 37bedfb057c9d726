import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteRunStore } from '../../src/store/sqlite-run-store.js';
import { startBuiltCli, type CliProcess, type CliRun } from '../cli/cli-process.js';
import { CountingProvider } from '../durable/counting-provider.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

// Agents on three `taskforce worker` processes through BullMQ on a real Redis, against a loopback
// provider with 50 ms latency. One worker is killed with SIGKILL mid-run, and the coordinator once:
// the run still completes with the in-process run's result, and no call the journal had completed
// reaches the provider again.

const TASKS = 200;
/** The provider's limit, shared by the three workers: requests per window. */
const RATE = 40;
const WINDOW_MS = 1000;
/** gpt-4o-mini's price (USD per million tokens), as the model layer prices its calls. */
const PRICE = { input: 0.15, output: 0.6 };
const PLAN = {
  goal: 'Census the owls of every park',
  tasks: Array.from({ length: TASKS }, (_, i) => ({
    id: `park-${i}`,
    title: `Count the owls of park ${i}`,
    instructions: `Count the owls of park ${i}.`,
    dependsOn: i >= 100 ? [`park-${i - 100}`] : [],
  })),
};

interface RunJson {
  readonly output: string;
  readonly tree: { readonly tasks: readonly { readonly id: string; readonly status: string; readonly output?: string }[] };
}

describe('agents on worker processes (BullMQ on Redis): failover', () => {
  const provider = new CountingProvider({ tasks: [] }, 50);
  let redis: RedisServer;
  let dir = '';
  const workers: CliProcess[] = [];
  const db = () => join(dir, 'runs.db');
  const env = (client: string) => ({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: provider.baseURL(client) });
  const worker = (name: string) =>
    startBuiltCli(['worker', '--redis', redis.url, '--queue', 'census', '--concurrency', '4', '--lock-ms', '1000', '--rate-limit', `${RATE}/${WINDOW_MS}`, '--model', 'openai:gpt-4o-mini', '--db', db()], { env: env(name), cwd: dir });
  const runArgs = ['--model', 'openai:gpt-4o-mini', '--max-depth', '0', '--concurrency', '12', '--json'];
  const parsed = (run: CliRun): RunJson => {
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    return JSON.parse(run.stdout) as RunJson;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    await provider.start();
    dir = mkdtempSync(join(tmpdir(), 'tf-workers-'));
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(PLAN));
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await provider.stop();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`runs ${TASKS} tasks on 3 workers, survives a worker and the coordinator killed, and repeats no completed call`, { timeout: 240_000 }, async () => {
    const local = parsed(await startBuiltCli(['run', ...runArgs, '--no-journal', '--plan', 'plan.json'], { env: env('local'), cwd: dir }).done);
    expect(local.tree.tasks.every((t) => t.status === 'completed')).toBe(true);

    for (const name of ['w1', 'w2', 'w3']) workers.push(worker(name));
    await Promise.all(workers.map((w) => w.waitFor(/worker ready/)));

    // Kill w1 once it has 10 answered calls, and the coordinator once 120 calls went out in all.
    const coordinator = startBuiltCli(['run', ...runArgs, '--redis', redis.url, '--queue', 'census', '--db', db(), '--run-id', 'census', '--plan', 'plan.json'], { env: env('coordinator'), cwd: dir });
    let coordinatorKilled = false;
    // What the journal held when w1 died: read as soon as it is gone, before its jobs stall and move on.
    let atW1Death: Promise<Set<string>> | undefined;
    provider.onAnswered = (request) => {
      if (request.client === 'w1' && request.n === 10) {
        workers[0]!.child.kill('SIGKILL');
        atW1Death = workers[0]!.done.then(() => journaledReplies());
      }
      const sent = provider.requests.filter((r) => r.client.startsWith('w')).length;
      if (!coordinatorKilled && sent >= 120) {
        coordinatorKilled = true;
        coordinator.child.kill('SIGKILL');
      }
    };
    const killed = await coordinator.done;
    expect(killed.signal).toBe('SIGKILL');
    const journaledBefore = await journaledReplies();
    const sentBefore = provider.requests.length;

    // Another process resumes the run from the store, on the same queue (the two workers left).
    const resumed = parsed(await startBuiltCli(['resume', 'census', '--db', db(), '--json'], { env: env('coordinator-2'), cwd: dir }).done);
    provider.onAnswered = () => undefined;

    expect(resumed.output).toBe(local.output);
    expect(resumed.tree.tasks.map((t) => [t.id, t.status, t.output])).toEqual(local.tree.tasks.map((t) => [t.id, t.status, t.output]));
    // w1 died with calls done; w2 and w3 did the rest, including jobs taken over from it.
    // (it had up to 4 calls in flight when it died, whose requests had already arrived).
    expect(provider.from('w1').length).toBeGreaterThanOrEqual(10);
    expect(provider.from('w1').length).toBeLessThanOrEqual(13);
    expect(provider.from('w2').length + provider.from('w3').length).toBeGreaterThan(TASKS - 10 - 20);
    // No call the journal had completed before the coordinator was killed went out again.
    // (The in-process baseline's requests, client `local`, have the same bodies: they are not this run's.)
    const distributed = (r: { client: string }) => r.client !== 'local';
    const completedBodies = new Set(provider.requests.slice(0, sentBefore).filter((r) => distributed(r) && r.reply !== undefined && journaledBefore.has(r.reply)).map((r) => r.body));
    const repeated = provider.requests.slice(sentBefore).filter((r) => completedBodies.has(r.body));
    expect(repeated.map((r) => `${r.client}:${r.kind}`)).toEqual([]);
    expect(completedBodies.size).toBeGreaterThan(50);
    // Nor any of w1's completed calls, by the workers that took over its jobs.
    // The workers together never sent the provider more than the limit in a window, from their first
    // calls on: a request holds its place for the window and a slack (a quarter of it here), and each
    // worker loads its provider SDK before it takes a job, so a request arrives within the slack.
    const workerArrivals = provider.requests.filter((r) => r.client.startsWith('w')).map((r) => r.at).sort((a, b) => a - b);
    expect(workerArrivals.length).toBeGreaterThan(TASKS);
    for (const start of workerArrivals) expect(workerArrivals.filter((t) => t >= start && t < start + WINDOW_MS).length).toBeLessThanOrEqual(RATE);
    const journaledAtW1Death = await atW1Death!;
    const w1Completed = new Set(provider.from('w1').filter((r) => r.reply !== undefined && journaledAtW1Death.has(r.reply)).map((r) => r.body));
    expect(w1Completed.size).toBeGreaterThan(0);
    expect(provider.requests.filter((r) => distributed(r) && r.client !== 'w1' && w1Completed.has(r.body)).map((r) => `${r.client}:${r.kind}`)).toEqual([]);
  });

  it("holds the run's budget across 3 worker processes: what the provider billed all of them stays within it", { timeout: 120_000 }, async () => {
    const plan = { goal: 'Census the owls of the small parks', tasks: PLAN.tasks.slice(0, 60).map((t) => ({ ...t, dependsOn: [] })) };
    writeFileSync(join(dir, 'small-plan.json'), JSON.stringify(plan));
    const billed = (prefix: string) =>
      provider.requests.filter((r) => r.client.startsWith(prefix) && r.usage).reduce((usd, r) => usd + (r.usage!.inputTokens * PRICE.input + r.usage!.outputTokens * PRICE.output) / 1e6, 0);
    // What the whole run costs, in process.
    parsed(await startBuiltCli(['run', ...runArgs, '--no-journal', '--plan', 'small-plan.json'], { env: env('b-local'), cwd: dir }).done);
    const budget = billed('b-local') * 0.4;

    const budgetWorkers = ['b-w1', 'b-w2', 'b-w3'].map((name) =>
      startBuiltCli(['worker', '--redis', redis.url, '--queue', 'budget', '--concurrency', '4', '--model', 'openai:gpt-4o-mini', '--db', db()], { env: env(name), cwd: dir }),
    );
    workers.push(...budgetWorkers);
    await Promise.all(budgetWorkers.map((w) => w.waitFor(/worker ready/)));
    const run = await startBuiltCli(['run', ...runArgs, '--redis', redis.url, '--queue', 'budget', '--db', db(), '--run-id', 'census-budget', '--budget-usd', String(budget), '--plan', 'small-plan.json'], {
      env: env('b-coordinator'),
      cwd: dir,
    }).done;
    expect(run.code, run.stderr.slice(-2000)).toBe(1);
    const result = JSON.parse(run.stdout) as RunJson & { stoppedBy?: { kind: string; budget?: string } };
    expect(result.stoppedBy).toMatchObject({ kind: 'budget', budget: 'costUsd' });
    // Every process's calls together, as the provider billed them: within the budget, and most of it used.
    const spent = billed('b-w') + billed('b-coordinator');
    expect(spent).toBeLessThanOrEqual(budget);
    expect(spent).toBeGreaterThan(budget * 0.5);
    expect(['b-w1', 'b-w2', 'b-w3'].filter((w) => provider.from(w).length > 0).length).toBeGreaterThan(1);
  });

  async function journaledReplies(): Promise<Set<string>> {
    const store = await openSqliteRunStore(db());
    try {
      return new Set((await store.journal('census')).filter((e) => e.kind === 'model.call').map((e) => (e.data as { text: string }).text));
    } finally {
      await store.close();
    }
  }
});
