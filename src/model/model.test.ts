import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEventBus } from '../events/bus.js';
import type { TaskforceEvent } from '../events/types.js';
import { manualClock } from '../util/clock.js';
import { readCassette } from './cassette/file.js';
import { requestHash } from './cassette/hash.js';
import { withCassette } from './cassette/with-cassette.js';
import { modelFromProvider } from './model.js';
import { scriptedModel } from './scripted.js';
import type { ProviderRequest } from './types.js';
import { offlineProvider } from '../../test/support/offline-provider.js';

function recordingBus() {
  const bus = createEventBus({ clock: manualClock() });
  const events: TaskforceEvent[] = [];
  bus.on((event) => events.push(event));
  const tagsOf = (type: TaskforceEvent['type']) =>
    events.filter((e) => e.type === type).map((e) => ({ runId: e.runId, taskId: (e as { taskId?: string }).taskId, agent: (e as { agent?: string }).agent }));
  return { bus, events, tagsOf };
}

describe('modelFromProvider call tags', () => {
  it("puts a call's tags on its events, over the model's own, and never hands them to the provider", async () => {
    const { bus, tagsOf } = recordingBus();
    const provider = scriptedModel({ replies: ['one', 'two', 'three'] });
    const model = modelFromProvider(provider, { events: bus, tags: { taskId: 'fixed-task', agent: 'fixed-agent' } });

    await model.generate({ prompt: 'q1', tags: { runId: 'run_1', taskId: 'task_a' } });
    for await (const _part of model.stream({ prompt: 'q2', tags: { agent: 'ada' } }));
    await model.generate({ prompt: 'q3' });

    const expected = [
      { runId: 'run_1', taskId: 'task_a', agent: 'fixed-agent' },
      { runId: undefined, taskId: 'fixed-task', agent: 'ada' },
      { runId: undefined, taskId: 'fixed-task', agent: 'fixed-agent' },
    ];
    expect(tagsOf('model.call.started')).toEqual(expected);
    expect(tagsOf('model.call.finished')).toEqual(expected);
    expect(provider.requests).toHaveLength(3);
    for (const request of provider.requests) expect(request).not.toHaveProperty('tags');
  });

  it('tags a failed call and every repair of a structured call', async () => {
    const { bus, tagsOf } = recordingBus();
    const provider = scriptedModel({ replies: ['not json', '{"n": 2}', { error: new Error('provider down') }] });
    const model = modelFromProvider(provider, { events: bus });
    const tags = { runId: 'run_7', taskId: 'vote', agent: 'bob' };

    const result = await model.generateObject({ prompt: 'a number', schema: z.object({ n: z.number() }), tags });
    expect(result).toMatchObject({ object: { n: 2 }, repairs: 1 });
    await expect(model.generate({ prompt: 'again', tags })).rejects.toThrow('provider down');

    expect(tagsOf('model.repair')).toEqual([tags]);
    expect(tagsOf('model.call.finished')).toEqual([tags, tags]);
    expect(tagsOf('model.call.failed')).toEqual([tags]);
    for (const request of provider.requests) expect(request).not.toHaveProperty('tags');
  });

  it('leaves the cassette request hash unchanged: a call recorded with tags replays without them', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'taskforce-tags-')), 'c.jsonl');
    const recorder = modelFromProvider(withCassette(scriptedModel({ replies: ['recorded'] }), { mode: 'record', path }));
    await recorder.generate({ prompt: 'same question', tags: { runId: 'run_1', taskId: 't', agent: 'a' } });

    const [entry] = (await readCassette(path)).entries;
    expect(entry?.request).not.toHaveProperty('tags');
    const offline = offlineProvider;
    const player = modelFromProvider(withCassette(offline, { mode: 'replay', path }));
    expect((await player.generate({ prompt: 'same question' })).text).toBe('recorded');
    expect((await player.generate({ prompt: 'same question', tags: { runId: 'other' } })).text).toBe('recorded');

    // A hand-built provider request that still carries tags hashes as if it had none.
    const bare: ProviderRequest = { messages: [{ role: 'user', content: 'same question' }] };
    const withTags = { ...bare, tags: { runId: 'run_1' } } as ProviderRequest;
    expect(requestHash(offline, withTags)).toBe(requestHash(offline, bare));
    expect(entry?.hash).toBe(requestHash(offline, bare));
  });
});
