import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../src/agents/define.js';
import { UnknownAgentError } from '../../src/agents/errors.js';
import { BudgetExceededError } from '../../src/errors/budget-errors.js';
import type { TaskforceEvent } from '../../src/events/types.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel, type ScriptFn } from '../../src/model/scripted.js';
import { createTaskforce } from '../../src/api/create-taskforce.js';
import { createRuntime, type RuntimeConfig } from '../../src/runtime/runtime.js';
import { Task } from '../../src/api/task.js';
import { defineTool } from '../../src/tools/define-tool.js';
import { concurrencyProbe, drainInWaves } from './concurrency-probe.js';

const agents = [
  defineAgent({ name: 'researcher', description: 'Finds facts', systemPrompt: 'You research.' }),
  defineAgent({ name: 'reviewer', description: 'Reviews code', systemPrompt: 'You review.' }),
];

function runtimeWith(replies: ScriptFn, config: Partial<RuntimeConfig> = {}) {
  const provider = scriptedModel({ replies });
  return { provider, runtime: createRuntime({ model: modelFromProvider(provider), agents, builtinAgents: false, seed: 3, ...config }) };
}

describe('Task()', () => {
  it('runs the named agent and reports output, usage, cost, steps and the task id', async () => {
    const events: TaskforceEvent[] = [];
    const lookup = defineTool({ name: 'lookup', description: 'Looks up', input: z.object({ q: z.string() }), execute: ({ q }) => `${q}: 42` });
    const { provider, runtime } = runtimeWith(
      (_req, i) => (i === 0 ? { toolCalls: [{ name: 'lookup', input: { q: 'answer' } }] } : 'The answer is 42.'),
      { tools: [lookup], onEvent: (e) => events.push(e) },
    );

    const result = await Task('find the answer', 'What is the answer?', 'researcher', { runtime: await runtime });

    expect(result).toMatchObject({ output: 'The answer is 42.', agent: 'researcher', finishReason: 'final', taskId: 'task_1' });
    expect(result.steps.map((s) => s.toolCalls.map((c) => c.output))).toEqual([['answer: 42'], []]);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(provider.requests[0]?.system).toBe('You research.');
    expect(events.filter((e) => e.type.startsWith('task.')).map((e) => e.type)).toEqual(['task.started', 'task.completed']);
    expect(events.find((e) => e.type === 'task.started')).toMatchObject({ taskId: 'task_1', title: 'find the answer' });
  });

  it('names the closest agents when the agent type is unknown, before any model call', async () => {
    const { provider, runtime } = runtimeWith(() => 'never');
    const error = await Task('x', 'do it', 'reviewr', { runtime: await runtime }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownAgentError);
    expect((error as UnknownAgentError).suggestions).toContain('reviewer');
    expect((error as Error).message).toMatch(/unknown agent "reviewr".*did you mean "reviewer"/i);
    expect(provider.calls).toBe(0);
  });

  it('keeps 50 parallel calls within the runtime’s concurrency of 8', async () => {
    const probe = concurrencyProbe();
    const { runtime } = runtimeWith(async (request) => {
      // Each call is held until the test releases it, so every call the runtime admits at once is counted.
      await probe.enter();
      return `done: ${request.messages[0]?.content}`;
    });
    const rt = await runtime;
    const running = Promise.all(Array.from({ length: 50 }, (_, i) => Task(`job ${i}`, `job ${i}`, 'researcher', { runtime: rt })));

    expect(await drainInWaves(probe, 50, 8)).toEqual([8, 8, 8, 8, 8, 8, 2]);
    const results = await running;
    expect(probe.peak).toBe(8);
    expect(results.map((r) => r.output)).toEqual(Array.from({ length: 50 }, (_, i) => `done: job ${i}`));
  });

  it('shares one budget across parallel calls: calls past maxModelCalls fail with BudgetExceededError', async () => {
    const { provider, runtime } = runtimeWith(() => 'ok', { budgets: { maxModelCalls: 3 } });
    const rt = await runtime;
    const settled = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => Task(`t${i}`, 'go', 'researcher', { runtime: rt })));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(3);
    const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []));
    expect(failures).toHaveLength(2);
    for (const failure of failures) expect(failure).toBeInstanceOf(BudgetExceededError);
    expect(provider.calls).toBe(3);
  });

  it('reports a failed call as task.failed and rejects with the cause', async () => {
    const events: TaskforceEvent[] = [];
    const { runtime } = runtimeWith(() => ({ error: new Error('provider down') }), { onEvent: (e) => events.push(e) });
    await expect(Task('t', 'go', 'reviewer', { runtime: await runtime })).rejects.toThrow('provider down');
    expect(events.find((e) => e.type === 'task.failed')).toMatchObject({ error: 'provider down', willRetry: false });
  });

  it('caps steps with maxSteps and reports max_steps', async () => {
    const { runtime } = runtimeWith(() => ({ text: 'thinking', toolCalls: [{ name: 'missing', input: {} }] }));
    const result = await Task('t', 'go', 'reviewer', { runtime: await runtime, maxSteps: 2 });
    expect(result).toMatchObject({ finishReason: 'max_steps', output: 'thinking' });
    expect(result.steps).toHaveLength(2);
  });

  it('rejects an empty prompt with a clear error', async () => {
    const { runtime } = runtimeWith(() => 'ok');
    await expect(Task('label', '  ', 'reviewer', { runtime: await runtime })).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
      message: 'Task("label", …, "reviewer"): the prompt must be a non-empty string',
    });
  });
});

describe('createTaskforce().task()', () => {
  it('is Task() bound to one runtime, sharing its slots with other calls', async () => {
    const probe = concurrencyProbe();
    const provider = scriptedModel({
      replies: async () => {
        await probe.enter();
        return 'ok';
      },
    });
    const tf = await createTaskforce({ model: modelFromProvider(provider), agents, builtinAgents: false, limits: { concurrency: 3 } });
    const direct = Array.from({ length: 6 }, () => Task('a', 'go', 'reviewer', { runtime: tf.runtime }));
    const bound = Array.from({ length: 6 }, () => tf.task('b', 'go', 'researcher'));
    const running = Promise.all([...direct, ...bound]);

    expect(await drainInWaves(probe, 12, 3)).toEqual([3, 3, 3, 3]);
    const results = await running;
    expect(results.map((r) => r.agent)).toEqual([...Array(6).fill('reviewer'), ...Array(6).fill('researcher')]);
    expect(probe.peak).toBe(3);
    await tf.close();
    await expect(tf.task('c', 'go', 'reviewer')).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('wraps a runtime you created', async () => {
    const runtime = await createRuntime({ model: modelFromProvider(scriptedModel({ replies: ['hi'] })), agents, builtinAgents: false });
    const tf = await createTaskforce({ runtime });
    expect(tf.runtime).toBe(runtime);
    expect((await tf.task('x', 'say hi', 'researcher')).output).toBe('hi');
  });
});
