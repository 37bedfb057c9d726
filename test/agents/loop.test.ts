import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AbortedError } from '../../src/errors/taskforce-error.js';
import type { TaskforceEvent } from '../../src/events/types.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel, type ScriptedReply, type ScriptFn } from '../../src/model/scripted.js';
import type { Message, Model, ProviderRequest } from '../../src/model/types.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import type { RuntimeLimits } from '../../src/runtime/runtime-types.js';
import { defineTool } from '../../src/tools/define-tool.js';
import type { Tool } from '../../src/tools/types.js';
import { manualClock, type Clock } from '../../src/util/clock.js';
import { defineAgent } from '../../src/agents/define.js';
import { runAgent } from '../../src/agents/loop.js';
import type { AgentDefinition } from '../../src/agents/types.js';
import { DATA_BLOCKS_LABEL } from '../../src/util/data-blocks.js';

const worker = (overrides: Partial<Parameters<typeof defineAgent>[0]> = {}): AgentDefinition =>
  defineAgent({ name: 'worker', description: 'Does the work', systemPrompt: 'You do the work.', ...overrides });

async function setup(options: {
  replies: readonly ScriptedReply[] | ScriptFn;
  tools?: Tool[];
  agent?: AgentDefinition;
  limits?: Partial<RuntimeLimits>;
  clock?: Clock;
}) {
  const provider = scriptedModel({ replies: options.replies });
  const events: TaskforceEvent[] = [];
  const agent = options.agent ?? worker();
  const runtime = await createRuntime({
    model: modelFromProvider(provider),
    agents: [agent],
    builtinAgents: false,
    tools: options.tools ?? [],
    seed: 1,
    onEvent: (e) => events.push(e),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return { provider, events, agent, runtime };
}

const toolMessages = (request: ProviderRequest | undefined) =>
  (request?.messages ?? []).filter((m): m is Extract<Message, { role: 'tool' }> => m.role === 'tool');

/** A promise with its resolve function outside, for ordering tool calls without timers. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('runAgent', () => {
  it("tags each of its model calls with the agent and the task, and never sends the tags to the provider", async () => {
    const provider = scriptedModel({ replies: [{ toolCalls: [{ name: 'lookup', input: {} }] }, 'done', 'again'] });
    const events: TaskforceEvent[] = [];
    const lookup = defineTool({ name: 'lookup', description: 'Looks up', input: z.object({}), execute: () => 'found' });
    // A model the runtime builds itself emits its call events on the runtime's bus.
    const runtime = await createRuntime({ model: { provider }, agents: [worker({ tools: ['lookup'] })], builtinAgents: false, tools: [lookup], seed: 1, onEvent: (e) => events.push(e) });
    await runAgent(runtime, worker({ tools: ['lookup'] }), 'go', { taskId: 'task_9' });
    await runAgent(runtime, worker(), 'go');
    const tags = events.flatMap((e) => (e.type === 'model.call.finished' ? [[e.taskId, e.agent]] : []));
    expect(tags).toEqual([
      ['task_9', 'worker'],
      ['task_9', 'worker'],
      [undefined, 'worker'],
    ]);
    for (const request of provider.requests) expect(request).not.toHaveProperty('tags');
  });

  it('runs the tool calls of one reply in parallel and returns their results in the model’s order', async () => {
    const bothStarted = deferred();
    const secondDone = deferred();
    let started = 0;
    const completionOrder: string[] = [];
    const lookup = defineTool({
      name: 'lookup',
      description: 'Looks a key up',
      input: z.object({ key: z.string() }),
      // The latch opens only once both calls have started, so passing it proves they overlapped.
      // Sequential execution would wait forever; the timeout turns that into a visible error result.
      timeoutMs: 5_000,
      async execute({ key }) {
        if (++started === 2) bothStarted.resolve();
        await bothStarted.promise;
        // The first call finishes last, so completion order differs from the model's order.
        if (key === 'first') await secondDone.promise;
        completionOrder.push(key);
        if (key === 'second') secondDone.resolve();
        return `value of ${key}`;
      },
    });
    const { provider, runtime, agent } = await setup({
      tools: [lookup],
      replies: [
        { toolCalls: [{ id: 'a', name: 'lookup', input: { key: 'first' } }, { id: 'b', name: 'lookup', input: { key: 'second' } }] },
        'both looked up',
      ],
    });

    const result = await runAgent(runtime, agent, 'look up two keys');

    expect(completionOrder).toEqual(['second', 'first']);
    expect(toolMessages(provider.requests[1]).map((m) => [m.toolCallId, m.content, m.isError ?? false])).toEqual([
      ['a', 'value of first', false],
      ['b', 'value of second', false],
    ]);
    expect(result).toMatchObject({ output: 'both looked up', finishReason: 'final' });
    expect(result.steps[0]?.toolCalls.map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('sends a throwing tool’s error back to the model and carries on', async () => {
    const save = defineTool({
      name: 'save',
      description: 'Saves a note',
      input: z.object({ text: z.string() }),
      execute: () => {
        throw new Error('disk full');
      },
    });
    const { provider, runtime, agent } = await setup({
      tools: [save],
      replies: [{ toolCalls: [{ name: 'save', input: { text: 'hi' } }] }, 'could not save: disk full'],
    });

    const result = await runAgent(runtime, agent, 'save a note');

    const [message] = toolMessages(provider.requests[1]);
    expect(message).toMatchObject({ toolName: 'save', isError: true });
    expect(message?.content).toContain('disk full');
    expect(result.output).toBe('could not save: disk full');
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({ name: 'save', isError: true });
  });

  it('answers invalid or non-JSON arguments with the zod issues, without running the tool', async () => {
    let executed = 0;
    const add = defineTool({
      name: 'add',
      description: 'Adds',
      input: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }) => {
        executed += 1;
        return a + b;
      },
    });
    const { provider, runtime, agent } = await setup({
      tools: [add],
      replies: [
        { toolCalls: [{ name: 'add', input: { a: 'one', b: 2 } }, { name: 'add', input: '{a: 1, b:' }] },
        { toolCalls: [{ name: 'add', input: { a: 1, b: 2 } }] },
        '3',
      ],
    });

    const result = await runAgent(runtime, agent, 'add one and two');

    const [invalid, notJson] = toolMessages(provider.requests[1]);
    expect(invalid?.isError).toBe(true);
    expect(invalid?.content).toMatch(/invalid arguments for tool "add"/);
    expect(invalid?.content).toMatch(/- a: .*expected number/i);
    expect(notJson?.isError).toBe(true);
    expect(notJson?.content).toMatch(/not a JSON object: "\{a: 1, b:"/);
    expect(toolMessages(provider.requests[2]).at(-1)).toMatchObject({ content: '3' });
    expect(executed).toBe(1);
    expect(result.output).toBe('3');
  });

  it('lets an agent use only the tools its definition allows, and names them when it asks for another', async () => {
    const calls: string[] = [];
    const tool = (name: string) =>
      defineTool({ name, description: `The ${name} tool`, input: z.object({}), execute: () => void calls.push(name) });
    const { provider, runtime, agent } = await setup({
      tools: [tool('read'), tool('write'), tool('delete')],
      agent: worker({ tools: ['read', 'write', 'Bash'], disallowedTools: ['write'] }),
      replies: [{ toolCalls: [{ name: 'delete', input: {} }, { name: 'write', input: {} }, { name: 'read', input: {} }] }, 'done'],
    });

    const result = await runAgent(runtime, agent, 'tidy up');

    expect(provider.requests[0]?.tools?.map((t) => t.name)).toEqual(['read']);
    expect(calls).toEqual(['read']);
    const [deleted, written, read] = toolMessages(provider.requests[1]);
    expect(deleted?.content).toBe('Error: tool "delete" is not available to agent "worker". Available tools: read.');
    expect(written?.isError).toBe(true);
    expect(read?.isError).toBeUndefined();
    expect(result.output).toBe('done');
  });

  it('rejects, never throws, when its model throws instead of rejecting', async () => {
    const { runtime, agent } = await setup({ replies: ['unused'] });
    const thrower = () => {
      throw new Error('thrown, not rejected');
    };
    const model = { provider: 'broken', modelId: 'broken', generate: thrower, generateObject: thrower, stream: thrower } as unknown as Model;
    let running: Promise<unknown> | undefined;
    expect(() => (running = runAgent(runtime, agent, 'hi', { model }))).not.toThrow();
    await expect(running).rejects.toThrow('thrown, not rejected');
  });

  it('reports tool names the agent lists but the runtime lacks', async () => {
    const { runtime, agent, events } = await setup({ agent: worker({ tools: ['Read', 'Grep'] }), replies: ['ok'] });
    await runAgent(runtime, agent, 'hi');
    expect(events.filter((e) => e.type === 'log').map((e) => e.message)).toContain(
      'agent "worker" lists tools this runtime does not provide: Read, Grep',
    );
  });

  it('aborts a tool at its timeout and tells the model', async () => {
    const clock = manualClock();
    let toolSignal: AbortSignal | undefined;
    const hang = defineTool({
      name: 'hang',
      description: 'Never finishes on its own',
      input: z.object({}),
      timeoutMs: 1_000,
      execute: (_input, { signal }) => {
        toolSignal = signal;
        return new Promise(() => undefined);
      },
    });
    const slow = defineTool({ name: 'slow', description: 'Uses the default timeout', input: z.object({}), execute: () => new Promise(() => undefined) });
    const { provider, runtime, agent } = await setup({
      clock,
      tools: [hang, slow],
      limits: { toolTimeoutMs: 5_000 },
      replies: [{ toolCalls: [{ name: 'hang', input: {} }, { name: 'slow', input: {} }] }, 'gave up'],
    });

    const running = runAgent(runtime, agent, 'try the tools');
    while (clock.pending() < 2) await new Promise((r) => setImmediate(r));
    await clock.advance(1_000);
    expect(toolSignal?.aborted).toBe(true);
    await clock.advance(4_000);
    const result = await running;

    const [hung, slowed] = toolMessages(provider.requests[1]);
    expect(hung).toMatchObject({ isError: true, content: 'Error: tool "hang" timed out after 1000 ms and was aborted.' });
    expect(slowed).toMatchObject({ isError: true, content: 'Error: tool "slow" timed out after 5000 ms and was aborted.' });
    expect(result.steps[0]?.toolCalls.map((c) => c.durationMs)).toEqual([1_000, 5_000]);
    expect(result.output).toBe('gave up');
  });

  it('stops at the step cap with finishReason max_steps, the last text and a warning', async () => {
    const ping = defineTool({ name: 'ping', description: 'Pings', input: z.object({}), execute: () => 'pong' });
    const { provider, runtime, agent, events } = await setup({
      tools: [ping],
      replies: (_req, i) => ({ text: i === 1 ? 'still working' : '', toolCalls: [{ name: 'ping', input: {} }] }),
    });
    let pings = 0;
    runtime.events.onType('tool.completed', () => void (pings += 1));

    const result = await runAgent(runtime, agent, 'loop forever', { maxSteps: 3 });

    expect(provider.calls).toBe(3);
    expect(result.finishReason).toBe('max_steps');
    expect(result.output).toBe('still working');
    expect(result.steps).toHaveLength(3);
    // The last reply's calls are not run: no model call would read their results.
    expect(pings).toBe(2);
    expect(result.steps[2]?.toolCalls[0]).toMatchObject({ isError: true, output: 'not run: agent "worker" reached its step cap of 3' });
    expect(events.some((e) => e.type === 'log' && e.level === 'warn' && e.message.includes('reached its step cap of 3'))).toBe(true);
  });

  it("takes the smallest of maxTurns, maxSteps and the runtime's cap: an agent file can lower the cap, never raise it", async () => {
    const forever: ScriptFn = () => ({ toolCalls: [{ name: 'nothing', input: {} }] });
    const turns = await setup({ agent: worker({ maxTurns: 2 }), replies: forever });
    expect((await runAgent(turns.runtime, turns.agent, 'x', { maxSteps: 5 })).steps).toHaveLength(2);
    const steps = await setup({ agent: worker({ maxTurns: 6 }), replies: forever });
    expect((await runAgent(steps.runtime, steps.agent, 'x', { maxSteps: 4 })).steps).toHaveLength(4);
    const defaults = await setup({ limits: { maxSteps: 3 }, replies: forever });
    expect((await runAgent(defaults.runtime, defaults.agent, 'x')).steps).toHaveLength(3);
    const raised = await setup({ agent: worker({ maxTurns: 40 }), limits: { maxSteps: 3 }, replies: forever });
    expect((await runAgent(raised.runtime, raised.agent, 'x', { maxSteps: 10 })).steps).toHaveLength(3);
  });

  it('emits every step and sums usage and cost over the steps', async () => {
    const echo = defineTool({ name: 'echo', description: 'Echoes', input: z.object({ s: z.string() }), execute: ({ s }) => s });
    const { runtime, agent, events } = await setup({
      tools: [echo],
      replies: [
        { toolCalls: [{ name: 'echo', input: { s: 'hi' } }], usage: { inputTokens: 10, outputTokens: 3 } },
        { text: 'hi', usage: { inputTokens: 20, outputTokens: 1 } },
      ],
    });

    const result = await runAgent(runtime, agent, 'say hi', { taskId: 'task_9' });

    const agentEvents = events.filter((e) => e.type.startsWith('agent.') || e.type.startsWith('tool.'));
    expect(agentEvents.map((e) => e.type)).toEqual(['agent.step', 'tool.called', 'tool.completed', 'agent.step', 'agent.completed']);
    expect(agentEvents.every((e) => 'taskId' in e && e.taskId === 'task_9')).toBe(true);
    expect(result.usage).toEqual({ inputTokens: 30, outputTokens: 4 });
    expect(agentEvents.at(-1)).toMatchObject({ type: 'agent.completed', steps: 2, usage: { inputTokens: 30, outputTokens: 4 } });
  });

  it('puts the context before the prompt as a labelled data block, and the extra system text after the agent’s prompt', async () => {
    const { provider, runtime, agent } = await setup({ replies: ['ok'] });
    await runAgent(runtime, agent, 'Write the summary.', { context: 'Output of task A: 42', system: 'You are the judge.' });
    expect(provider.requests[0]?.messages[0]?.content).toBe(
      `${DATA_BLOCKS_LABEL}\n\n<input task="context">\nOutput of task A: 42\n</input>\n\n---\n\nWrite the summary.`,
    );
    expect(provider.requests[0]?.system).toBe('You do the work.\n\nYou are the judge.');
  });

  it('stops with AbortedError when the signal fires during a tool call', async () => {
    const controller = new AbortController();
    const wait = defineTool({
      name: 'wait',
      description: 'Waits',
      input: z.object({}),
      execute: () => {
        controller.abort();
        return new Promise(() => undefined);
      },
    });
    const { runtime, agent } = await setup({ tools: [wait], replies: [{ toolCalls: [{ name: 'wait', input: {} }] }] });
    await expect(runAgent(runtime, agent, 'wait', { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
  });

  it('treats a refusal or a cut final answer as an error, not an answer', async () => {
    const refused = await setup({ replies: [{ text: '', refusal: 'I cannot help with that' }] });
    await expect(runAgent(refused.runtime, refused.agent, 'x')).rejects.toMatchObject({ code: 'MODEL_REFUSAL' });
    const cut = await setup({ replies: [{ text: 'The answer is', stopReason: 'max_tokens' }] });
    await expect(runAgent(cut.runtime, cut.agent, 'x')).rejects.toMatchObject({ code: 'MODEL_OUTPUT_TRUNCATED' });
  });
});
