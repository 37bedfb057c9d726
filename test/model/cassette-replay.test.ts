import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CassetteMissError } from '../../src/model/cassette/errors.js';
import { readCassette, readCassetteHeader } from '../../src/model/cassette/file.js';
import { createModel } from '../../src/model/create-model.js';
import type { CassetteOptions } from '../../src/model/cassette/with-cassette.js';
import { useAimock } from '../support/aimock.js';
import { collectStream, rejectionOf } from './helpers.js';

const server = useAimock();
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskforce-cassette-it-'));
});

/** A port nothing listens on: replay must never need the network. */
const DEAD_URL = 'http://127.0.0.1:9';
const Recipe = z.object({ dish: z.string(), minutes: z.number().int() });

const SETUPS = {
  anthropic: { provider: 'anthropic', model: 'claude-haiku-4-5', url: () => server().anthropicBaseURL },
  openai: { provider: 'openai', model: 'gpt-5-mini', url: () => server().openaiBaseURL },
} as const;

function model(which: keyof typeof SETUPS, cassette: CassetteOptions, baseURL: string) {
  const setup = SETUPS[which];
  return createModel({ provider: setup.provider, model: setup.model, apiKey: 'k', baseURL }, { env: {}, cassette, resilience: { retry: { maxRetries: 0 } } });
}

describe.each(['anthropic', 'openai'] as const)('cassettes over the real %s SDK', (which) => {
  it('records generate, stream and generateObject, then replays them offline with identical results', async () => {
    server().mock.onMessage('haiku', { content: 'Autumn moonlight— a worm digs silently into the chestnut.' });
    server().mock.onMessage('stream a list', { content: 'one, two, three, four, five, six' }, { chunkSize: 5 });
    // Each provider's native structured mode: a forced tool (Anthropic), JSON content (OpenAI json_schema).
    if (which === 'anthropic') server().mock.onMessage('a recipe', { toolCalls: [{ name: 'recipe', arguments: '{"dish":"dal","minutes":40}' }] });
    else server().mock.onMessage('a recipe', { content: '{"dish":"dal","minutes":40}' });
    const path = join(dir, `${which}.jsonl`);

    const recorder = model(which, { mode: 'record', path }, SETUPS[which].url());
    const generated = await recorder.generate({ system: 'You are a poet.', prompt: 'Write a haiku', maxTokens: 100 });
    const streamed = await collectStream(recorder, { prompt: 'stream a list' });
    const object = await recorder.generateObject({ prompt: 'Give me a recipe', schema: Recipe, schemaName: 'recipe' });
    const requestsMade = server().modelEntries().length;

    const player = model(which, { mode: 'replay', path }, DEAD_URL);
    expect(await player.generate({ system: 'You are a poet.', prompt: 'Write a haiku', maxTokens: 100 })).toEqual(generated);
    const replayed = await collectStream(player, { prompt: 'stream a list' });
    expect(replayed.deltas).toEqual(streamed.deltas);
    expect(replayed.result).toEqual(streamed.result);
    expect(streamed.deltas.length).toBeGreaterThan(1);
    expect(await player.generateObject({ prompt: 'Give me a recipe', schema: Recipe, schemaName: 'recipe' })).toEqual(object);
    expect(object.object).toEqual({ dish: 'dal', minutes: 40 });
    expect(server().modelEntries()).toHaveLength(requestsMade);

    expect(await readCassetteHeader(path)).toMatchObject({ $schemaVersion: 1, source: 'recorded' });
    const cassette = await readCassette(path);
    expect(cassette.entries.map((e) => e.response.kind)).toEqual(['generate', 'stream', 'generate']);
    expect(cassette.entries.every((e) => e.provider === which)).toBe(true);
  });

  it('fails a replayed request that was never recorded with CassetteMissError naming it', async () => {
    server().mock.onMessage('known', { content: 'recorded' });
    const path = join(dir, `${which}-miss.jsonl`);
    await model(which, { mode: 'record', path }, SETUPS[which].url()).generate({ prompt: 'known question' });

    const error = await rejectionOf(model(which, { mode: 'replay', path }, DEAD_URL).generate({ prompt: 'an unknown question about chestnuts' }));

    expect(error).toBeInstanceOf(CassetteMissError);
    expect(error.message).toContain(path);
    expect(error.message).toContain('"an unknown question about chestnuts"');
    expect(error.message).toContain(`${which}/${SETUPS[which].model}`);
    expect(error).toMatchObject({ entries: 1 });
  });
});
