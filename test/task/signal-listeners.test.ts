import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../src/agents/define.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel } from '../../src/model/scripted.js';
import type { ProviderRequest } from '../../src/model/types.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { Task } from '../../src/api/task.js';
import { defineTool } from '../../src/tools/define-tool.js';

// Many calls share one runtime's signal (and one agent run's signal is shared by its parallel tool
// calls): each waiter listens while it waits and stops when done, so Node must not take the crowd for
// a listener leak; and a runtime created on a caller's signal must let go of it when closed.

const agents = [defineAgent({ name: 'researcher', description: 'Finds facts', systemPrompt: 'You research.' })];

/** `process` warnings of the kind Node gives for more than 10 listeners on one signal. */
let leakWarnings: string[] = [];
const onWarning = (warning: Error) => {
  if (warning.name === 'MaxListenersExceededWarning') leakWarnings.push(warning.message);
};
beforeEach(() => {
  leakWarnings = [];
  process.on('warning', onWarning);
});
afterEach(() => {
  process.off('warning', onWarning);
});

/** Warnings are emitted on a later tick: let them arrive before looking. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('abort listeners on shared signals', () => {
  it('gives no MaxListenersExceededWarning for 50 parallel Task() calls on one runtime, each running 12 tools at once', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const lookup = defineTool({
      name: 'lookup',
      description: 'Looks up',
      input: z.object({ q: z.string() }),
      execute: async ({ q }) => {
        await held;
        return q;
      },
    });
    const twelveLookups = { toolCalls: Array.from({ length: 12 }, (_, i) => ({ name: 'lookup', input: { q: `q${i}` } })) };
    const runtime = await createRuntime({
      model: modelFromProvider(scriptedModel({ replies: (request: ProviderRequest) => (request.messages.length === 1 ? twelveLookups : 'done') })),
      tools: [lookup],
      agents,
      builtinAgents: false,
      seed: 1,
      limits: { concurrency: 50 },
    });

    const running = Promise.all(Array.from({ length: 50 }, (_, i) => Task(`job ${i}`, `job ${i}`, 'researcher', { runtime })));
    // And 12 model calls of the caller's own on the runtime's signal.
    const direct = Promise.all(Array.from({ length: 12 }, () => runtime.models.worker.generate({ prompt: 'x', signal: runtime.signal })));
    await settle();
    release();
    const results = await running;
    await direct;
    await settle();

    expect(results.every((r) => r.output === 'done')).toBe(true);
    expect(leakWarnings).toEqual([]);
    // Every waiter stopped listening when it was done.
    expect(getEventListeners(runtime.signal, 'abort')).toHaveLength(0);
    await runtime.close();
  });

  it('removes its listener from the caller’s signal on close(): 20 runtimes created and closed leave none', async () => {
    const caller = new AbortController();
    for (let i = 0; i < 20; i++) {
      const runtime = await createRuntime({ model: modelFromProvider(scriptedModel({ replies: ['ok'] })), agents, builtinAgents: false, signal: caller.signal });
      await runtime.close();
    }
    await settle();
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    expect(leakWarnings).toEqual([]);
  });

  it('still closes the runtime when the caller’s signal fires', async () => {
    const caller = new AbortController();
    const runtime = await createRuntime({ model: modelFromProvider(scriptedModel({ replies: ['ok'] })), agents, builtinAgents: false, signal: caller.signal });
    caller.abort(new Error('stop'));
    expect(runtime.signal.aborted).toBe(true);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });
});
