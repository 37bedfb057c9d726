import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { BudgetExceededError } from '../../src/errors/budget-errors.js';
import type { Budgets } from '../../src/runtime/budget.js';
import { memoryRunStore } from '../../src/store/memory-run-store.js';
import { AbortedError, ConfigError } from '../../src/errors/taskforce-error.js';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { systemClock } from '../../src/util/clock.js';
import { randomInt, seededRandom } from '../../src/util/random.js';
import { queueAgentRunner, type QueueAgentRunner } from '../../src/distributed/queue-agent-runner.js';
import { startAgentWorker } from '../../src/distributed/agent-worker.js';
import { connectRedisScripts, type RedisScripts } from '../../src/distributed/redis-scripts.js';
import { openSharedBudget, sharedBudgetKey, sharedBudgetLedger } from '../../src/distributed/shared-budget.js';
import { sharedTokenLimit } from '../../src/distributed/shared-token-limit.js';
import { sharedCallLimit } from '../../src/distributed/shared-call-limit.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { AGENTS, scripted } from '../orchestrate/helpers.js';
import { teamScript, type Script } from '../orchestrate/script.js';

// Limits kept in Redis and enforced by every process at once: a run's budget (the run and its
// workers reserve each call in one ledger) and a provider's tokens-per-minute limit.

const PLAN = { owls: Array.from({ length: 16 }, (_, i) => ({ id: `t${i}`, dependsOn: i >= 8 ? [`t${i - 8}`] : [] })) };
const SCRIPT: Script = { plans: PLAN };

describe('limits shared through Redis', () => {
  let redis: RedisServer;
  let scripts: RedisScripts[] = [];
  let raw: Redis;
  /** A process's connection: each ledger user below has its own, as separate processes would. */
  const connect = async () => {
    const connection = await connectRedisScripts(redis.url, 'tests');
    scripts.push(connection);
    return connection;
  };
  /** Run `runId`'s budget as its (durable) run opens it. */
  const open = async (runId: string, limits: Budgets, extra: { resumed?: boolean; holdTtlMs?: number } = {}) =>
    openSharedBudget(await connect(), { runId, limits, durable: true, resumed: extra.resumed ?? false }, extra.holdTtlMs !== undefined ? { holdTtlMs: extra.holdTtlMs } : {});
  beforeAll(async () => {
    redis = await startRedisServer();
    raw = new Redis(redis.url);
  });
  afterAll(async () => {
    await Promise.all(scripts.map((s) => s.close()));
    scripts = [];
    raw?.disconnect();
    await redis?.stop();
  });

  it('a run budget in Redis holds under 60 concurrent reservations from three processes, with random real usage', async () => {
    const MAX = 5_000;
    const coordinator = await open('concurrent', { maxTokens: MAX, maxCostUsd: 0.05 });
    const ledgers = [coordinator, sharedBudgetLedger(await connect(), coordinator.key, { maxTokens: MAX }), sharedBudgetLedger(await connect(), coordinator.key, { maxTokens: MAX })];
    const random = seededRandom(11);
    const between = (low: number, high: number) => low + randomInt(random, high - low + 1);
    let spentTokens = 0;
    let spentCost = 0;
    const price = { input: 3, output: 15 };
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const ledger = ledgers[i % 3]!;
        try {
          const hold = await ledger.reserve({ inputTokens: 200, outputTokens: 400, ownCap: false, price });
          await new Promise((resolve) => setTimeout(resolve, between(1, 15)));
          // A call uses at most its input and the output cap it was granted.
          const output = between(0, hold.outputTokens);
          const cost = (200 * price.input + output * price.output) / 1e6;
          spentTokens += 200 + output;
          spentCost += cost;
          hold.settle(200 + output, cost);
          return 'made';
        } catch (error) {
          expect(error).toBeInstanceOf(BudgetExceededError);
          return 'refused';
        }
      }),
    );
    expect(outcomes.filter((o) => o === 'made').length).toBeGreaterThan(5);
    expect(outcomes).toContain('refused');
    expect(spentTokens).toBeLessThanOrEqual(MAX);
    expect(spentCost).toBeLessThanOrEqual(0.05 + 1e-9);
    await expect.poll(async () => Number(await raw.hget(coordinator.key, 'tokens'))).toBe(spentTokens);
    expect(Number(await raw.hget(coordinator.key, 'calls'))).toBe(outcomes.filter((o) => o === 'made').length);
    expect(await raw.hlen(`${coordinator.key}:holds`)).toBe(0);
  });

  it('lowers an output cap to what is left, refuses a call whose own cap cannot fit, and counts model calls', async () => {
    const budget = await open('caps', { maxTokens: 1_000, maxModelCalls: 3 });
    const first = await budget.reserve({ inputTokens: 100, outputTokens: 4096, ownCap: false });
    expect(first.outputTokens).toBe(900);
    first.settle(600, 0);
    await expect(budget.reserve({ inputTokens: 100, outputTokens: 500, ownCap: true })).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED', budget: 'tokens', used: 600, limit: 1_000, needed: 600 });
    const second = await budget.reserve({ inputTokens: 100, outputTokens: 200, ownCap: true });
    second.settle(100, 0);
    const third = await budget.reserve({ inputTokens: 10, outputTokens: 10, ownCap: true });
    third.settle(20, 0);
    await expect(budget.reserve({ inputTokens: 10, outputTokens: 10, ownCap: true })).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED', budget: 'modelCalls', used: 3, limit: 3 });
  });

  it('a hold whose process died frees its room when it expires; a stopped run refuses every process', async () => {
    const budget = await open('ttl', { maxTokens: 1_000 }, { holdTtlMs: 300 });
    const worker = sharedBudgetLedger(await connect(), budget.key, { maxTokens: 1_000 });
    await budget.reserve({ inputTokens: 100, outputTokens: 800, ownCap: true }); // never settled: its process "died"
    const started = Date.now();
    const next = await worker.reserve({ inputTokens: 100, outputTokens: 800, ownCap: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    next.settle(900, 0);
    await budget.stop('cancelled with Ctrl-C');
    await expect(worker.reserve({ inputTokens: 1, outputTokens: 1, ownCap: true })).rejects.toThrow(AbortedError);
    await expect(worker.reserve({ inputTokens: 1, outputTokens: 1, ownCap: true })).rejects.toThrow('the run was stopped: cancelled with Ctrl-C');
    // Opened again by a resume: not stopped, and what was spent is kept.
    const resumed = await open('ttl', { maxTokens: 1_000 }, { resumed: true });
    await expect(resumed.reserve({ inputTokens: 50, outputTokens: 60, ownCap: true })).rejects.toMatchObject({ budget: 'tokens', used: 900 });
    // Opened by a new run of that id: it starts at zero.
    const fresh = await open('ttl', { maxTokens: 1_000 });
    expect((await fresh.reserve({ inputTokens: 50, outputTokens: 60, ownCap: true })).outputTokens).toBe(60);
    // A run that is not durable gets a ledger of its own, even when its id repeats (a seeded run's does).
    const first = await openSharedBudget(await connect(), { runId: 'seeded', limits: {}, durable: false, resumed: false });
    const second = await openSharedBudget(await connect(), { runId: 'seeded', limits: {}, durable: false, resumed: false });
    expect(first.key).not.toBe(second.key);
  });

  it('a wall-time limit is a deadline on the server: calls after it are refused on every process', async () => {
    const budget = await open('deadline', { maxWallTimeMs: 150 });
    const worker = sharedBudgetLedger(await connect(), budget.key, { maxWallTimeMs: 150 });
    (await worker.reserve({ inputTokens: 1, outputTokens: 1, ownCap: true })).settle(2, 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(worker.reserve({ inputTokens: 1, outputTokens: 1, ownCap: true })).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED', budget: 'wallTimeMs', limit: 150 });
    await expect(sharedBudgetLedger(await connect(), sharedBudgetKey('nobody'), {}).reserve({ inputTokens: 1, outputTokens: 1, ownCap: true })).rejects.toThrow('is not in Redis');
  });

  it('a tokens-per-window limit holds across two processes: no window ever holds more tokens than the limit', async () => {
    const MAX = 2_000;
    const WINDOW = 300;
    const limits = await Promise.all([0, 1].map(() => sharedTokenLimit({ redis: redis.url, max: MAX, windowMs: WINDOW, key: 'tpm-test' })));
    const taken: { at: number; tokens: number }[] = [];
    try {
      await Promise.all(
        Array.from({ length: 24 }, async (_, i) => {
          const hold = await limits[i % 2]!.reserve({ inputTokens: 300, outputTokens: 200, ownCap: false });
          taken.push({ at: Date.now(), tokens: 300 + hold.outputTokens });
          hold.settle(300 + hold.outputTokens, 0);
        }),
      );
      // 24 calls of 500 tokens at 2,000 per 300 ms: at least five full windows.
      const first = Math.min(...taken.map((t) => t.at));
      expect(Math.max(...taken.map((t) => t.at)) - first).toBeGreaterThanOrEqual(5 * WINDOW - 30);
      for (const { at } of taken) expect(taken.filter((t) => t.at >= at && t.at < at + WINDOW - 20).reduce((n, t) => n + t.tokens, 0)).toBeLessThanOrEqual(MAX);
      // A call that could never fit is refused, not left waiting.
      await expect(limits[0]!.reserve({ inputTokens: 2_500, outputTokens: 1, ownCap: true })).rejects.toThrow(ConfigError);
      // A call that set no cap of its own gets one lowered to fit the window.
      await new Promise((resolve) => setTimeout(resolve, WINDOW));
      expect((await limits[1]!.reserve({ inputTokens: 500, outputTokens: 4096, ownCap: false })).outputTokens).toBe(1_500);
    } finally {
      await Promise.all(limits.map((l) => l.close()));
    }
  });

  it('a cap on calls in flight holds across two processes, and a place whose process died comes back when it expires', async () => {
    const limits = await Promise.all([0, 1].map(() => sharedCallLimit({ redis: redis.url, max: 3, key: 'in-flight-test', holdTtlMs: 400 })));
    try {
      let inFlight = 0;
      let most = 0;
      const started = Date.now();
      await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const hold = await limits[i % 2]!.reserve({ inputTokens: 0, outputTokens: 0, ownCap: false });
          most = Math.max(most, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 30));
          inFlight--;
          hold.settle(0, 0);
        }),
      );
      expect(most).toBe(3);
      // 12 calls of 30 ms, 3 at a time: four rounds at least.
      expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 30 - 5);
      // Three places taken and never given back (their process "died"): the next call waits for them to expire.
      await Promise.all([0, 1, 2].map(() => limits[0]!.reserve({ inputTokens: 0, outputTokens: 0, ownCap: false })));
      const waited = Date.now();
      (await limits[1]!.reserve({ inputTokens: 0, outputTokens: 0, ownCap: false })).settle(0, 0);
      expect(Date.now() - waited).toBeGreaterThanOrEqual(300);
    } finally {
      await Promise.all(limits.map((l) => l.close()));
    }
  });

  /**
   * Two in-process workers on a queue of their own, whose calls take 20 ms (so several are in flight
   * at once on each), and a runner for it: `fn` gets the runner and how many calls the workers made.
   */
  async function withWorkers(fn: (runner: QueueAgentRunner, workerCalls: () => number) => Promise<void>): Promise<void> {
    const queue = `budget-${Date.now()}-${Math.random()}`;
    const clock = systemClock();
    const workerModels = [0, 1].map(() => scriptedModel({ replies: teamScript(SCRIPT), latencyMs: 20, clock }));
    const runtimes = await Promise.all(workerModels.map((m) => createRuntime({ model: modelFromProvider(m), agents: AGENTS, builtinAgents: false })));
    const workers = await Promise.all(runtimes.map((runtime) => startAgentWorker({ redis: redis.url, queue, runtime, concurrency: 4 })));
    const runner = await queueAgentRunner({ redis: redis.url, queue });
    try {
      await fn(runner, () => workerModels.reduce((n, m) => n + m.requests.length, 0));
    } finally {
      await runner.close();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(runtimes.map((r) => r.close()));
    }
  }

  it("a run's budget holds across its workers: model calls stop at the limit, and the run stops on the budget", () =>
    withWorkers(async (runner, workerCalls) => {
      const coordinator = scripted(SCRIPT, { agentRunner: runner, concurrency: 8, budgets: { maxModelCalls: 7 } });
      const result = await orchestrate('Tell me about owls', coordinator.options);
      // The planner's call and six on the workers: never an eighth, wherever it was made.
      expect(coordinator.provider.requests).toHaveLength(1);
      expect(workerCalls()).toBe(6);
      expect(result.stoppedBy).toMatchObject({ kind: 'budget', budget: 'modelCalls' });
      expect(result.metrics.modelCalls).toBe(7);
      expect(result.tree.tasks.filter((t) => t.status === 'completed')).toHaveLength(6);
    }));

  it("a run's token budget holds across its workers: what all of them spent stays within it", () =>
    withWorkers(async (runner, workerCalls) => {
      // Room for the planner and a few agent runs: each reserves its input and an output cap lowered to what is left.
      const MAX = 2_600;
      const coordinator = scripted(SCRIPT, { agentRunner: runner, concurrency: 8, budgets: { maxTokens: MAX }, durable: memoryRunStore(), runId: 'run_tokens' });
      const result = await orchestrate('Tell me about owls', coordinator.options);
      expect(workerCalls()).toBeGreaterThan(2);
      expect(workerCalls()).toBeLessThan(16);
      expect(result.stoppedBy).toMatchObject({ kind: 'budget', budget: 'tokens' });
      // Everything the run and its workers were billed for, as the ledger in Redis counted it.
      const ledgerTokens = Number(await raw.hget(sharedBudgetKey('run_tokens'), 'tokens'));
      expect(ledgerTokens).toBe(result.metrics.tokens);
      expect(ledgerTokens).toBeLessThanOrEqual(MAX);
    }));
});
