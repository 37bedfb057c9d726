import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agents/define.js';
import { createAgentRegistry } from '../agents/registry.js';
import { AbortedError, ConfigError } from '../errors/taskforce-error.js';
import { ModelApiError } from '../errors/model-errors.js';
import type { TaskforceEvent } from '../events/types.js';
import { modelFromProvider } from '../model/model.js';
import { CircuitOpenError } from '../model/resilience/circuit-open-error.js';
import { scriptedModel } from '../model/scripted.js';
import type { ProviderModel } from '../model/types.js';
import { defineTool } from '../tools/define-tool.js';
import { manualClock } from '../util/clock.js';
import { createRuntime, DEFAULT_LIMITS } from './runtime.js';

const scripted = (modelId = 'scripted') => modelFromProvider(scriptedModel({ replies: () => 'ok', modelId }));
const agent = (name: string, extra: Partial<Parameters<typeof defineAgent>[0]> = {}) =>
  defineAgent({ name, description: `${name} agent`, systemPrompt: `You are ${name}.`, ...extra });

describe('createRuntime', () => {
  it('applies the documented default limits and loads the built-in agents', async () => {
    const runtime = await createRuntime({ model: scripted() });
    expect(runtime.limits).toEqual({
      concurrency: 8,
      maxDepth: 3,
      maxAgents: 200,
      toolTimeoutMs: 60_000,
      maxSteps: 20,
      allowHooks: false,
      hookTimeoutMs: 10_000,
    });
    expect(DEFAULT_LIMITS).toEqual(runtime.limits);
    expect(runtime.agents.list().length).toBeGreaterThan(0);
  });

  it('rejects limits that make no sense, naming the field', async () => {
    await expect(createRuntime({ model: scripted(), limits: { concurrency: 0 } })).rejects.toThrow(
      new ConfigError('limits.concurrency must be a positive integer, got 0'),
    );
    await expect(createRuntime({ model: scripted(), limits: { toolTimeoutMs: -1 } })).rejects.toThrow(/limits\.toolTimeoutMs/);
  });

  it('refuses two tools with one name', async () => {
    const tool = defineTool({ name: 'search', description: 'Searches', input: z.object({}), execute: () => '' });
    await expect(createRuntime({ model: scripted(), tools: [tool, tool] })).rejects.toThrow(/two tools are named "search"/);
  });

  it('with a seed, produces the same ids and random numbers every time', async () => {
    const draw = async () => {
      const runtime = await createRuntime({ model: scripted(), seed: 'repro', builtinAgents: false });
      return [runtime.id, runtime.ids.next('task'), runtime.random.next(), runtime.random.next()];
    };
    const first = await draw();
    expect(await draw()).toEqual(first);
    expect(first.slice(0, 2)).toEqual(['runtime_1', 'task_1']);
  });

  it('lets your agents replace built-ins of the same name, but not each other', async () => {
    const runtime = await createRuntime({ model: scripted(), agents: [agent('coder', { description: 'my coder' })] });
    expect(runtime.agents.require('coder').description).toBe('my coder');
    await expect(createRuntime({ model: scripted(), builtinAgents: false, agents: [agent('x'), agent('x')] })).rejects.toMatchObject({
      code: 'AGENT_DUPLICATE_NAME',
    });
  });

  it('loads agent files from agentsDir and uses a given registry as is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskforce-agents-'));
    try {
      writeFileSync(join(dir, 'sql.md'), '---\nname: sql-expert\ndescription: Writes SQL\n---\nYou write SQL.\n');
      const fromDir = await createRuntime({ model: scripted(), agentsDir: dir, builtinAgents: false });
      expect(fromDir.agents.list().map((a) => a.name)).toEqual(['sql-expert']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const registry = createAgentRegistry([agent('solo')]);
    expect((await createRuntime({ model: scripted(), agents: registry })).agents).toBe(registry);
    await expect(createRuntime({ model: scripted(), agents: registry, agentsDir: 'agents' })).rejects.toBeInstanceOf(ConfigError);
  });

  it('resolves agent model aliases: inherit is the worker; a Claude alias without an Anthropic worker warns and uses the worker', async () => {
    const events: TaskforceEvent[] = [];
    const runtime = await createRuntime({ model: scripted('worker-1'), builtinAgents: false, onEvent: (e) => events.push(e) });
    expect(runtime.models.forAgent(agent('a', { model: 'inherit' }))).toBe(runtime.models.worker);
    expect(runtime.models.forAgent(agent('b'))).toBe(runtime.models.worker);
    expect(runtime.models.forAgent(agent('c', { model: 'haiku' }))).toBe(runtime.models.worker);
    expect(events.filter((e) => e.type === 'log').map((e) => e.type === 'log' && e.message)).toEqual([
      'agent "c" asks for model "haiku", a Claude alias, but the worker model is not an Anthropic model; using the worker model scripted:worker-1',
    ]);
  });

  it('maps a Claude alias to that family’s model with the Anthropic worker’s connection settings', async () => {
    const runtime = await createRuntime({
      model: { provider: 'anthropic', model: 'claude-sonnet-5-5', apiKey: 'k', baseURL: 'http://127.0.0.1:9' },
      modelOptions: { env: { OPENAI_API_KEY: 'k' } },
      builtinAgents: false,
    });
    const haiku = runtime.models.forAgent(agent('fast', { model: 'haiku' }));
    expect([haiku.provider, haiku.modelId]).toEqual(['anthropic', 'claude-haiku-5-5']);
    expect(runtime.models.forAgent(agent('quick', { model: 'haiku' }))).toBe(haiku);
    expect(runtime.models.forAgent(agent('same', { model: 'sonnet' }))).toBe(runtime.models.worker);
    expect(runtime.models.forAgent(agent('deep', { model: 'opus' })).modelId).toBe('claude-opus-5-5');
    expect(runtime.models.forAgent(agent('gpt', { model: 'openai:gpt-5-mini' })).modelId).toBe('gpt-5-mini');
    expect(() => runtime.models.forAgent(agent('bad', { model: 'gpt-5-mini' }))).toThrow(/agent "bad" \(code\): model "gpt-5-mini" cannot be used/);
  });

  it('runs at most `concurrency` slots at once and reports each allocation', async () => {
    const events: TaskforceEvent[] = [];
    const runtime = await createRuntime({ model: scripted(), builtinAgents: false, limits: { concurrency: 2 }, onEvent: (e) => events.push(e) });
    let inFlight = 0;
    let peak = 0;
    const gates = Array.from({ length: 5 }, () => {
      let resolve!: () => void;
      return { promise: new Promise<void>((r) => (resolve = r)), resolve: () => resolve() };
    });
    const running = gates.map((gate) =>
      runtime.slot(async () => {
        peak = Math.max(peak, ++inFlight);
        await gate.promise;
        inFlight -= 1;
      }),
    );
    for (const gate of gates) {
      await new Promise((r) => setImmediate(r));
      gate.resolve();
    }
    await Promise.all(running);
    expect(peak).toBe(2);
    const allocated = events.filter((e) => e.type === 'resource.allocated');
    expect(allocated).toHaveLength(5);
    expect(Math.max(...allocated.map((e) => (e.type === 'resource.allocated' ? e.inUse : 0)))).toBe(2);
  });

  it('hands slots on first come, first served, in the caller\'s async context; a throw frees its slot; close refuses the line', async () => {
    const runtime = await createRuntime({ model: scripted(), builtinAgents: false, limits: { concurrency: 1 } });
    const context = new AsyncLocalStorage<string>();
    let release!: () => void;
    const held = runtime.slot(() => new Promise<void>((r) => (release = r)));
    const order: string[] = [];
    const queued = ['a', 'b', 'c'].map((name) => context.run(name, () => runtime.slot(async () => void order.push(`${name}:${context.getStore()}`))));
    const throwing = runtime.slot(() => {
      throw new Error('sync throw');
    });
    const last = runtime.slot(async () => 'after the throw');
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all([held, ...queued]);
    expect(order).toEqual(['a:a', 'b:b', 'c:c']);
    await expect(throwing).rejects.toThrow('sync throw');
    await expect(last).resolves.toBe('after the throw');

    let hold!: () => void;
    const busy = runtime.slot(() => new Promise<void>((r) => (hold = r)));
    const waiting = [runtime.slot(async () => 'never'), runtime.slot(async () => 'never')];
    await new Promise((r) => setImmediate(r));
    await runtime.close();
    hold();
    await busy;
    for (const refused of waiting) await expect(refused).rejects.toBeInstanceOf(AbortedError);
  });

  it('refuses queued work once closed, and closes when its signal fires', async () => {
    const controller = new AbortController();
    const runtime = await createRuntime({ model: scripted(), builtinAgents: false, signal: controller.signal });
    expect(runtime.signal.aborted).toBe(false);
    controller.abort();
    expect(runtime.signal.aborted).toBe(true);
    await expect(runtime.slot(async () => 'never')).rejects.toBeInstanceOf(AbortedError);
  });

  describe('circuit breakers', () => {
    /** A provider adapter at `endpoint` that answers "ok", or fails with a 503 (a transient fault), counting its calls. */
    const endpointModel = (endpoint: string, mode: 'ok' | 'down') => {
      const counter = { calls: 0 };
      const scripted = scriptedModel({
        modelId: `${mode}@${endpoint}`,
        replies: () => {
          counter.calls += 1;
          return mode === 'ok' ? 'ok' : { error: new ModelApiError({ provider: 'scripted', status: 503, message: 'unavailable' }) };
        },
      });
      const provider: ProviderModel = {
        provider: scripted.provider,
        modelId: scripted.modelId,
        endpoint,
        structuredMode: scripted.structuredMode,
        doGenerate: (request) => scripted.doGenerate(request),
        doStream: (request) => scripted.doStream(request),
      };
      return { spec: { provider }, counter };
    };
    const modelOptions = { resilience: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 2, cooldownMs: 60_000 } } };

    it('gives the planner, worker and synthesizer that call one endpoint one breaker, and other endpoints their own', async () => {
      const worker = endpointModel('https://shared.example', 'down');
      const planner = endpointModel('https://shared.example', 'ok');
      const synthesizer = endpointModel('https://elsewhere.example', 'ok');
      const events: TaskforceEvent[] = [];
      const runtime = await createRuntime({
        models: { worker: worker.spec, planner: planner.spec, synthesizer: synthesizer.spec },
        modelOptions,
        clock: manualClock(),
        builtinAgents: false,
        onEvent: (e) => events.push(e),
      });

      for (let i = 0; i < 2; i++) await expect(runtime.models.worker.generate({ prompt: 'x' })).rejects.toMatchObject({ status: 503 });
      // The worker's failures opened the breaker of the endpoint the planner calls too.
      const rejected = runtime.models.planner.generate({ prompt: 'x' });
      await expect(rejected).rejects.toBeInstanceOf(CircuitOpenError);
      await expect(rejected).rejects.toMatchObject({ endpoint: 'https://shared.example' });
      expect(planner.counter.calls).toBe(0);
      expect((await runtime.models.synthesizer.generate({ prompt: 'x' })).text).toBe('ok');
      expect(events.filter((e) => e.type === 'model.breaker').map((e) => e.type === 'model.breaker' && `${e.endpoint}:${e.to}`)).toEqual([
        'https://shared.example:open',
      ]);
    });

    it('shares the breaker between an Anthropic worker and the Claude alias models built from it', async () => {
      const runtime = await createRuntime({
        // Nothing listens on port 1: every call fails to connect, a transient fault.
        model: { provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'k', baseURL: 'http://127.0.0.1:1' },
        modelOptions: { ...modelOptions, resilience: { ...modelOptions.resilience, breaker: { failureThreshold: 1, cooldownMs: 60_000 } }, env: {} },
        clock: manualClock(),
        builtinAgents: false,
      });
      await expect(runtime.models.worker.generate({ prompt: 'x' })).rejects.toMatchObject({ code: 'MODEL_CONNECTION_ERROR' });
      const sonnet = runtime.models.forAgent(agent('deep', { model: 'sonnet' }));
      expect(sonnet).not.toBe(runtime.models.worker);
      await expect(sonnet.generate({ prompt: 'x' })).rejects.toMatchObject({ code: 'MODEL_CIRCUIT_OPEN', endpoint: 'http://127.0.0.1:1' });
    });

    it('never shares a breaker between two runtimes, even for the same endpoint', async () => {
      const first = await createRuntime({ model: endpointModel('https://shared.example', 'down').spec, modelOptions, clock: manualClock(), builtinAgents: false });
      const healthy = endpointModel('https://shared.example', 'ok');
      const second = await createRuntime({ model: healthy.spec, modelOptions, clock: manualClock(), builtinAgents: false });

      for (let i = 0; i < 2; i++) await expect(first.models.worker.generate({ prompt: 'x' })).rejects.toMatchObject({ status: 503 });
      await expect(first.models.worker.generate({ prompt: 'x' })).rejects.toBeInstanceOf(CircuitOpenError);
      expect((await second.models.worker.generate({ prompt: 'x' })).text).toBe('ok');
      expect(healthy.counter.calls).toBe(1);
    });
  });

  it('keeps the store in storePath across runtimes, written when the runtime closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-store-'));
    try {
      const path = join(dir, 'learned.json');
      const first = await createRuntime({ model: scripted(), builtinAgents: false, storePath: path });
      first.store.set('trail:code:coder', 7.5);
      await first.close();
      const second = await createRuntime({ model: scripted(), builtinAgents: false, storePath: path });
      expect(second.store.get('trail:code:coder')).toBe(7.5);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resolves a Claude alias without an API key when the runtime replays a cassette', async () => {
    const runtime = await createRuntime({
      model: 'anthropic:claude-haiku-4-5',
      modelOptions: { env: {}, cassette: { mode: 'replay', path: '/nonexistent/cassette.jsonl' } },
      builtinAgents: false,
    });
    expect(runtime.models.forAgent(agent('deep', { model: 'opus' })).modelId).toBe('claude-opus-5-5');
    await runtime.close();
  });
});
