import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEventBus } from '../events/bus.js';
import type { TaskforceEvent } from '../events/types.js';
import { manualClock } from '../util/clock.js';
import { defineTool } from './define-tool.js';
import { executeToolCall, type ExecuteToolOptions } from './execute-tool.js';
import type { Tool } from './types.js';

function options(tools: Tool[], extra: Partial<ExecuteToolOptions> = {}): ExecuteToolOptions {
  return { tools: new Map(tools.map((t) => [t.name, t])), defaultTimeoutMs: 1_000, clock: manualClock(), signal: new AbortController().signal, agent: 'a', ...extra };
}

describe('executeToolCall', () => {
  it('passes the parsed input (zod defaults applied) and the call context to the tool', async () => {
    let seen: unknown;
    const tool = defineTool({
      name: 'greet',
      description: 'Greets',
      input: z.object({ name: z.string(), punctuation: z.string().default('!') }),
      execute: (input, context) => {
        seen = { input, agent: context.agent, taskId: context.taskId, callId: context.callId };
        return `hi ${input.name}${input.punctuation}`;
      },
    });
    const outcome = await executeToolCall({ id: 'c1', name: 'greet', input: { name: 'Ada' } }, options([tool], { taskId: 't1' }));
    expect(outcome).toMatchObject({ output: 'hi Ada!', isError: false });
    expect(seen).toEqual({ input: { name: 'Ada', punctuation: '!' }, agent: 'a', taskId: 't1', callId: 'c1' });
  });

  it('turns a value that is not JSON into an error result, and JSON values into JSON text', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad = defineTool({ name: 'bad', description: 'Bad', input: z.object({}), execute: () => cyclic });
    const good = defineTool({ name: 'good', description: 'Good', input: z.object({}), execute: () => ({ n: 1 }) });
    expect(await executeToolCall({ id: '1', name: 'bad', input: {} }, options([bad]))).toMatchObject({
      isError: true,
      output: 'Error: tool "bad" returned a value that cannot be serialised to JSON.',
    });
    expect((await executeToolCall({ id: '2', name: 'good', input: {} }, options([good]))).output).toBe('{"n":1}');
  });

  it('tells an agent without tools to answer directly, and emits called/completed events', async () => {
    const events: TaskforceEvent[] = [];
    const bus = createEventBus({ clock: manualClock() });
    bus.on((e) => events.push(e));
    const outcome = await executeToolCall({ id: 'c9', name: 'rm', input: {} }, options([], { events: bus }));
    expect(outcome.output).toBe('Error: tool "rm" is not available to agent "a". This agent has no tools; answer directly.');
    expect(events.map((e) => e.type)).toEqual(['tool.called', 'tool.completed']);
    expect(events[1]).toMatchObject({ tool: 'rm', callId: 'c9', isError: true });
  });

  it('refuses a withheld tool with its text before looking at the input, and says so in a tool.refused event', async () => {
    const events: TaskforceEvent[] = [];
    const bus = createEventBus({ clock: manualClock() });
    bus.on((e) => events.push(e));
    const outcome = await executeToolCall(
      { id: 'c1', name: 'wipe_disk', input: 'not even JSON' },
      options([], { events: bus, taskId: 't1', withheld: new Map([['wipe_disk', 'Error: wipe_disk is not granted.']]) }),
    );
    expect(outcome).toMatchObject({ isError: true, output: 'Error: wipe_disk is not granted.' });
    expect(events.map((e) => e.type)).toEqual(['tool.called', 'tool.refused', 'tool.completed']);
    expect(events[1]).toMatchObject({ agent: 'a', taskId: 't1', tool: 'wipe_disk', callId: 'c1', reason: 'not-granted' });
  });

  it('runs a call only when approve says true, asking with the validated input', async () => {
    let runs = 0;
    const wipe = defineTool({
      name: 'wipe_disk',
      description: 'Wipes',
      input: z.object({ path: z.string(), force: z.boolean().default(false) }),
      sideEffects: true,
      execute: () => (runs += 1, 'wiped'),
    });
    const asked: unknown[] = [];
    const call = { id: 'c1', name: 'wipe_disk', input: { path: '/tmp/x' } };
    const yes = await executeToolCall(call, options([wipe], { approve: ({ tool, input }) => (asked.push([tool.name, input]), true) }));
    expect(yes).toMatchObject({ isError: false, output: 'wiped' });
    expect(asked).toEqual([['wipe_disk', { path: '/tmp/x', force: false }]]);

    const events: TaskforceEvent[] = [];
    const bus = createEventBus({ clock: manualClock() });
    bus.on((e) => events.push(e));
    const no = await executeToolCall(call, options([wipe], { events: bus, approve: async () => false }));
    expect(no.isError).toBe(true);
    expect(no.output).toMatch(/^Error: the call of tool "wipe_disk" was not approved, so it did not run/);
    expect(events.find((e) => e.type === 'tool.refused')).toMatchObject({ reason: 'not-approved' });

    // A hook that fails refuses the call (fail closed) and reports why; so does any answer but true.
    const broken = await executeToolCall(call, options([wipe], { approve: () => { throw new Error('approver offline'); } }));
    expect(broken).toMatchObject({ isError: true, output: 'Error: tool "wipe_disk" did not run: its approval check failed: approver offline' });
    const vague = await executeToolCall(call, options([wipe], { approve: () => 'yes' as unknown as boolean }));
    expect(vague.isError).toBe(true);
    expect(runs).toBe(1);
  });

  it('does not ask for approval of a call whose input is invalid', async () => {
    const wipe = defineTool({ name: 'wipe_disk', description: 'Wipes', input: z.object({ path: z.string() }), sideEffects: true, execute: () => 'wiped' });
    let asked = 0;
    const outcome = await executeToolCall({ id: 'c1', name: 'wipe_disk', input: {} }, options([wipe], { approve: () => (asked += 1, true) }));
    expect(outcome.output).toMatch(/^Error: invalid arguments for tool "wipe_disk"/);
    expect(asked).toBe(0);
  });
});
