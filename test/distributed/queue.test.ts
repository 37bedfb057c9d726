import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { orchestrate as publicOrchestrate } from '../../src/api/orchestrate.js';
import { createTaskforce } from '../../src/api/create-taskforce.js';
import { Redis } from 'ioredis';
import { createRuntime } from '../../src/runtime/runtime.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { memoryRunStore } from '../../src/store/memory-run-store.js';
import { queueAgentRunner } from '../../src/distributed/queue-agent-runner.js';
import { startAgentWorker } from '../../src/distributed/agent-worker.js';
import { sharedRateLimit } from '../../src/distributed/shared-rate-limit.js';
import { registerQueueMetrics } from '../../src/distributed/queue-metrics.js';
import { Registry } from 'prom-client';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { AGENTS, scripted } from '../orchestrate/helpers.js';
import { kindOf, teamScript, type Script } from '../orchestrate/script.js';

const PLAN = { owls: Array.from({ length: 12 }, (_, i) => ({ id: `t${i}`, dependsOn: i >= 4 ? [`t${i - 4}`] : [] })) };
const SCRIPT: Script = { plans: PLAN };

describe('agents on worker processes through BullMQ on Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('runs every agent of the run on the workers, and the result equals the in-process run', async () => {
    const queue = `q-${Date.now()}`;
    const store = memoryRunStore();
    // Two workers, each with its own runtime (agents and a model) as separate processes would have.
    const workerModels = [scriptedModel({ replies: teamScript(SCRIPT) }), scriptedModel({ replies: teamScript(SCRIPT) })];
    const runtimes = await Promise.all(workerModels.map((m) => createRuntime({ model: modelFromProvider(m), agents: AGENTS, builtinAgents: false })));
    const workers = await Promise.all(runtimes.map((runtime) => startAgentWorker({ redis: redis.url, queue, runtime, store, concurrency: 3 })));
    const runner = await queueAgentRunner({ redis: redis.url, queue });
    try {
      const coordinator = scripted(SCRIPT, { durable: store, runId: 'run_q', agentRunner: runner, concurrency: 4 });
      const result = await orchestrate('Tell me about owls', coordinator.options);
      const local = await orchestrate('Tell me about owls', scripted(SCRIPT, { concurrency: 4 }).options);

      expect(result.stoppedBy).toBeUndefined();
      expect(result.output).toBe(local.output);
      expect(result.tree.tasks.map((t) => [t.id, t.status, t.output])).toEqual(local.tree.tasks.map((t) => [t.id, t.status, t.output]));
      // The coordinator planned and synthesized; every worker call came from a worker.
      expect(coordinator.provider.requests.map(kindOf).sort()).toEqual(['planner', 'synthesizer']);
      const workerCalls = workerModels.flatMap((m) => m.requests.map(kindOf));
      expect(workerCalls).toHaveLength(12);
      expect(workerCalls.every((k) => k === 'worker')).toBe(true);
      expect(workers.map((w) => w.completed()).reduce((a, b) => a + b)).toBe(12);
      // Their calls are in the run's tree and metrics, as if made here.
      expect(result.metrics.modelCalls).toBe(local.metrics.modelCalls);
      // And in the journal, under each task's path.
      const journaled = (await store.journal('run_q')).filter((e) => e.kind === 'model.call' && e.path.includes('@'));
      expect(journaled).toHaveLength(12);
    } finally {
      await runner.close();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(runtimes.map((r) => r.close()));
    }
  });

  it('orchestrate({ redis, queue }) and a Taskforce\'s orchestrate send the agents to the workers, and close the queue after', async () => {
    const queue = `opt-${Date.now()}`;
    const workerModel = scriptedModel({ replies: teamScript(SCRIPT) });
    const runtime = await createRuntime({ model: modelFromProvider(workerModel), agents: AGENTS, builtinAgents: false });
    const worker = await startAgentWorker({ redis: redis.url, queue, runtime });
    const tf = await createTaskforce({ model: modelFromProvider(scriptedModel({ replies: teamScript(SCRIPT) })), agents: AGENTS, builtinAgents: false });
    const admin = new Redis(redis.url);
    const clients = async () => String(await admin.client('LIST')).trim().split('\n').length;
    try {
      const before = await clients();
      const local = await orchestrate('Tell me about owls', scripted(SCRIPT).options);
      const viaOption = await publicOrchestrate('Tell me about owls', scripted(SCRIPT, { redis: redis.url, queue }).options);
      expect(viaOption.output).toBe(local.output);
      expect(workerModel.requests).toHaveLength(12);
      const viaTaskforce = await tf.orchestrate('Tell me about owls', { redis: redis.url, queue });
      expect(viaTaskforce.tree.tasks.every((t) => t.status === 'completed')).toBe(true);
      expect(workerModel.requests).toHaveLength(24);
      // Each run's queue runner closed its connections to Redis when the run ended.
      expect(await clients()).toBe(before);
    } finally {
      admin.disconnect();
      await tf.close();
      await worker.close();
      await runtime.close();
    }
  });

  it('a rate limit shared through Redis holds across workers: no window ever sees more calls than the limit', async () => {
    const queue = `rl-${Date.now()}`;
    const MAX = 4;
    const WINDOW = 400;
    const calls: number[] = [];
    const timed = () => { const script = teamScript(SCRIPT); return scriptedModel({ replies: (request, index) => (calls.push(Date.now()), script(request, index)) }); };
    const runtimes = await Promise.all([timed(), timed()].map((m) => createRuntime({ model: modelFromProvider(m), agents: AGENTS, builtinAgents: false })));
    const limits = await Promise.all(runtimes.map(() => sharedRateLimit({ redis: redis.url, max: MAX, windowMs: WINDOW, key: `rate:${queue}` })));
    const workers = await Promise.all(runtimes.map((runtime, i) => startAgentWorker({ redis: redis.url, queue, runtime, concurrency: 6, rateLimit: limits[i]! })));
    const runner = await queueAgentRunner({ redis: redis.url, queue });
    try {
      const started = Date.now();
      const result = await orchestrate('Tell me about owls', scripted(SCRIPT, { agentRunner: runner, concurrency: 12 }).options);
      expect(result.stoppedBy).toBeUndefined();
      expect(calls).toHaveLength(12);
      // 12 calls at 4 per 400 ms cannot take less than two full windows.
      expect(Date.now() - started).toBeGreaterThanOrEqual(2 * WINDOW - 20);
      const sorted = [...calls].sort((a, b) => a - b);
      // Any window a little shorter than the limit's (a call starts a moment after it is let through).
      for (const start of sorted) expect(sorted.filter((t) => t >= start && t < start + WINDOW - 20).length).toBeLessThanOrEqual(MAX);
      // Both workers took part.
      expect(workers.every((w) => w.completed() > 0)).toBe(true);
    } finally {
      await runner.close();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(limits.map((l) => l.close()));
      await Promise.all(runtimes.map((r) => r.close()));
    }
  });

  it('the metrics show the queue depth by state and the workers connected', async () => {
    const queue = `m-${Date.now()}`;
    const registry = new Registry();
    const metrics = await registerQueueMetrics(registry, { redis: redis.url, queue });
    const runtime = await createRuntime({ model: modelFromProvider(scriptedModel({ replies: teamScript(SCRIPT) })), agents: AGENTS, builtinAgents: false });
    const runner = await queueAgentRunner({ redis: redis.url, queue });
    try {
      // No worker yet: an agent run waits in the queue.
      const pending = runner.run({ runId: 'r', path: '', taskId: 't0', agent: 'ada', run: 1, prompt: 'Your task: Do t0', depth: 0 }, new AbortController().signal);
      await expect.poll(async () => registry.metrics(), { timeout: 5000 }).toContain(`taskforce_queue_jobs{queue="${queue}",state="waiting"} 1`);
      expect(await registry.metrics()).toContain(`taskforce_queue_workers{queue="${queue}"} 0`);
      const worker = await startAgentWorker({ redis: redis.url, queue, runtime });
      const done = await pending;
      expect('result' in done && done.result.output).toBe('ada did Do t0.');
      const text = await registry.metrics();
      expect(text).toContain(`taskforce_queue_workers{queue="${queue}"} 1`);
      expect(text).toContain(`taskforce_queue_jobs{queue="${queue}",state="waiting"} 0`);
      await worker.close();
    } finally {
      await runner.close();
      await metrics.close();
      await runtime.close();
    }
  });
});
