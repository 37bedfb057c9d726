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
});
