import { describe, expect, it } from 'vitest';
import { defineAgent } from '../../src/agents/define.js';
import { orchestrateStream, taskStream, type RunStreamEvent as AnyRunStreamEvent, type TaskStreamEvent } from '../../src/api/stream.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { scripted } from '../orchestrate/helpers.js';
import { kindOf, type Script } from '../orchestrate/script.js';

/** The scripted options run with an untyped output. */
type RunStreamEvent = AnyRunStreamEvent<unknown>;

/** Three tasks in a chain, so each starts only after the one before finished. */
const CHAIN: Script = {
  plans: { owls: [{ id: 'a' }, { id: 'b', dependsOn: ['a'] }, { id: 'c', dependsOn: ['b'] }] },
};

const indexOf = (events: readonly { type: string }[], match: (e: RunStreamEvent) => boolean) =>
  (events as RunStreamEvent[]).findIndex(match);

describe('orchestrateStream', () => {
  it('yields the plan, each task started then finished with its output, the answer, and the result last', async () => {
    const { options } = scripted(CHAIN);
    const events: RunStreamEvent[] = [];
    for await (const event of orchestrateStream('Write about owls', options)) events.push(event);

    const types = events.map((e) => e.type);
    expect(types[0]).toBe('plan');
    expect(types.at(-1)).toBe('result');
    const result = events.at(-1)!.type === 'result' ? (events.at(-1) as Extract<RunStreamEvent, { type: 'result' }>).result : undefined;
    expect(result?.stoppedBy).toBeUndefined();
    for (const id of ['a', 'b', 'c']) {
      const started = indexOf(events, (e) => e.type === 'task.started' && e.taskId === id);
      const finished = indexOf(events, (e) => e.type === 'task.finished' && e.taskId === id);
      expect(started).toBeGreaterThan(0);
      expect(finished).toBeGreaterThan(started);
      const node = result!.tree.tasks.find((t) => t.id === id)!;
      expect(events[finished]).toMatchObject({ status: 'completed', output: node.output, runId: result!.tree.runId });
    }
    // The direct strategy reports whom it chose, before the task finishes.
    expect(indexOf(events, (e) => e.type === 'decision' && e.taskId === 'a')).toBeLessThan(indexOf(events, (e) => e.type === 'task.finished' && e.taskId === 'a'));
    const deltas = events.flatMap((e) => (e.type === 'answer.delta' ? [e.text] : []));
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.join('')).toBe(result!.output);
    expect(result!.output).toContain('[c]');
    const lastTask = Math.max(...events.map((e, i) => (e.type.startsWith('task.') ? i : -1)));
    expect(indexOf(events, (e) => e.type === 'answer.delta')).toBeGreaterThan(lastTask);
  });

  it('gives the same result through the stream and through its result promise', async () => {
    const { options } = scripted(CHAIN);
    const stream = orchestrateStream('Write about owls', options);
    let last: RunStreamEvent | undefined;
    for await (const event of stream) last = event;
    expect(last).toEqual({ type: 'result', result: await stream.result });
  });

  it('keeps every lifecycle event with a one-event buffer (bursts between model calls pass it)', async () => {
    const { options } = scripted(CHAIN);
    const stream = orchestrateStream('Write about owls', { ...options, bufferCapacity: 1 });
    const events: RunStreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      await new Promise((resolve) => setImmediate(resolve)); // a slow reader
    }
    const result = await stream.result;
    expect(events.filter((e) => e.type === 'task.started')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'task.finished')).toHaveLength(3);
    expect(events.flatMap((e) => (e.type === 'answer.delta' ? [e.text] : [])).join('')).toBe(result.output);
    expect(events.at(-1)).toEqual({ type: 'result', result });
    expect(stream.dropped).toBe(0);
  });

  it('cancels the run when the consumer breaks out of the loop after the first task', async () => {
    const { options, provider } = scripted(CHAIN);
    const stream = orchestrateStream('Write about owls', options);
    const seen: string[] = [];
    let callsAtBreak = -1;
    for await (const event of stream) {
      seen.push(event.type);
      if (event.type === 'task.finished') {
        callsAtBreak = provider.calls;
        break;
      }
    }
    const result = await stream.result;

    expect(seen).toEqual(['plan', 'task.started', 'decision', 'task.finished']);
    expect(result.stoppedBy?.kind).toBe('cancelled');
    expect(result.tree.tasks.find((t) => t.id === 'a')?.status).toBe('completed');
    expect(result.tree.tasks.find((t) => t.id === 'c')?.status).not.toBe('completed');
    // At most the call already in flight for b finished after the break; c and the synthesizer never ran.
    expect(provider.calls).toBeLessThanOrEqual(callsAtBreak + 1);
    const kinds = provider.requests.map((r) => kindOf(r));
    expect(kinds).not.toContain('synthesizer');
    expect(provider.requests.some((r) => JSON.stringify(r.messages).includes('Do c'))).toBe(false);
  });

  it('rejects the loop and the result with the error of a run that fails', async () => {
    const { options } = scripted({ plans: {} });
    const stream = orchestrateStream('Write about nothing known', options);
    await expect(async () => {
      for await (const _ of stream) void _;
    }).rejects.toThrow(/no plan for goal/);
    await expect(stream.result).rejects.toThrow(/no plan for goal/);
  });
});

/** Lets every pending callback run, so a run goes as far as it can go now. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('orchestrateStream backpressure', () => {
  it('makes no model call while the reader lags a full buffer behind, and finishes once it reads again', async () => {
    const SIX = { plans: { bikes: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id })) } };
    const { options, provider } = scripted(SIX);
    const stream = orchestrateStream('Write about bikes', { ...options, concurrency: 1, bufferCapacity: 2 });
    const reader = stream[Symbol.asyncIterator]();
    await reader.next(); // the plan
    await settle();
    const stalled = provider.calls;
    await settle();
    // The reader has not read on: the run waits before its next model call instead of running ahead.
    expect(provider.calls).toBe(stalled);
    expect(stalled).toBeLessThan(6);
    let events = 1;
    for (let next = await reader.next(); !next.done; next = await reader.next()) events += 1;
    const result = await stream.result;
    expect(result.stoppedBy).toBeUndefined();
    expect(result.tree.tasks.every((t) => t.status === 'completed')).toBe(true);
    expect(provider.calls).toBeGreaterThanOrEqual(8); // planner, six tasks, synthesis
    expect(events).toBeGreaterThan(12);
  });
});

describe('taskStream', () => {
  const agents = [defineAgent({ name: 'researcher', description: 'Finds facts', systemPrompt: 'You research.' })];

  it('yields task.started, the answer as it is written, task.finished with the output, and the result last', async () => {
    const answer = 'Owls hunt at night, and most of them hear their prey before they see it.';
    const provider = scriptedModel({ replies: [answer], chunkSize: 8 });
    const runtime = await createRuntime({ model: modelFromProvider(provider), agents, builtinAgents: false, seed: 3 });
    const events: TaskStreamEvent[] = [];
    for await (const event of taskStream('owl facts', 'Tell me about owls.', 'researcher', { runtime })) events.push(event);

    const types = events.map((e) => e.type);
    expect(types[0]).toBe('task.started');
    expect(types.slice(-2)).toEqual(['task.finished', 'result']);
    const deltas = events.filter((e): e is Extract<TaskStreamEvent, { type: 'answer.delta' }> => e.type === 'answer.delta');
    // Streamed in pieces while the model writes, all of the one step, before the task finishes.
    expect(deltas.length).toBeGreaterThan(3);
    expect(types.slice(1, 1 + deltas.length).every((t) => t === 'answer.delta')).toBe(true);
    expect(new Set(deltas.map((d) => d.draft))).toEqual(new Set([1]));
    expect(deltas.map((d) => d.text).join('')).toBe(answer);
    expect(events[0]).toMatchObject({ taskId: 'task_1', title: 'owl facts' });
    expect(events.at(-2)).toMatchObject({ taskId: 'task_1', status: 'completed', output: answer });
    expect(events.at(-1)).toMatchObject({ type: 'result', result: { output: answer, agent: 'researcher' } });
    await runtime.close();
  });

  it('cancels the task when the consumer leaves before its answer', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const provider = scriptedModel({ replies: async () => (await gate, 'too late') });
    const runtime = await createRuntime({ model: modelFromProvider(provider), agents, builtinAgents: false, seed: 3 });
    const stream = taskStream('owl facts', 'Tell me about owls.', 'researcher', { runtime });
    for await (const event of stream) {
      expect(event.type).toBe('task.started');
      break;
    }
    release();
    await expect(stream.result).rejects.toMatchObject({ code: 'ABORTED' });
    expect(provider.calls).toBeLessThanOrEqual(1);
    await runtime.close();
  });
});
