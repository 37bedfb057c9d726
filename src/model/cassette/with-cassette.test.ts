import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { scriptedModel } from '../scripted.js';
import type { ProviderRequest, ProviderStreamPart } from '../types.js';
import { cassetteEntry } from './entry.js';
import { CassetteFileError, CassetteMissError } from './errors.js';
import { readCassette, readCassetteHeader, writeCassette } from './file.js';
import { withCassette } from './with-cassette.js';
import { offlineProvider } from '../../../test/support/offline-provider.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskforce-cassette-'));
});

const ask = (content: string): ProviderRequest => ({ messages: [{ role: 'user', content }] });
/** A provider that must never be called: replay is offline. */
const offline = offlineProvider;

async function collect(stream: AsyncIterable<ProviderStreamPart>) {
  const parts: ProviderStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe('withCassette', () => {
  it('returns the provider itself when no cassette is set', () => {
    expect(withCassette(offline, undefined)).toBe(offline);
  });

  it('records generate and stream calls, then replays them offline with the same results and chunks', async () => {
    const path = join(dir, 'nested', 'run.jsonl');
    const recorder = withCassette(scriptedModel({ replies: ['Paris is the capital.', 'Bonjour tout le monde, comment ça va ?'], chunkSize: 7 }), { mode: 'record', path });
    const generated = await recorder.doGenerate(ask('Capital of France?'));
    const streamed = await collect(recorder.doStream(ask('Say hello in French')));

    const player = withCassette(offline, { mode: 'replay', path });
    expect(await player.doGenerate(ask('Capital of France?'))).toEqual(generated);
    expect(await collect(player.doStream(ask('Say hello in French')))).toEqual(streamed);
    expect(streamed.filter((p) => p.type === 'text-delta').length).toBeGreaterThan(3);
  });

  it('writes a versioned header saying the replies were scripted when the recorded model is the scripted one', async () => {
    const path = join(dir, 'c.jsonl');
    await withCassette(scriptedModel({ replies: ['x'] }), { mode: 'record', path }).doGenerate(ask('q'));
    expect(await readCassetteHeader(path)).toEqual({ $schemaVersion: 1, type: 'taskforce.cassette', source: 'scripted' });
    const recordedHeader = (await readFile(path, 'utf8')).split('\n')[0];
    expect(JSON.parse(recordedHeader!)).toMatchObject({ $schemaVersion: 1 });
  });

  it('appends to an existing cassette, keeping one header', async () => {
    const path = join(dir, 'c.jsonl');
    await withCassette(scriptedModel({ replies: ['one'] }), { mode: 'record', path }).doGenerate(ask('a'));
    await withCassette(scriptedModel({ replies: ['two'] }), { mode: 'record', path }).doGenerate(ask('b'));
    const cassette = await readCassette(path);
    expect(cassette.entries.map((e) => e.response.kind === 'generate' && e.response.result.text)).toEqual(['one', 'two']);
  });

  it('serves repeated identical requests their recorded replies in order, then the last one again', async () => {
    const path = join(dir, 'c.jsonl');
    const recorder = withCassette(scriptedModel({ replies: ['first', 'second'] }), { mode: 'record', path });
    await recorder.doGenerate(ask('same'));
    await recorder.doGenerate(ask('same'));
    const player = withCassette(offline, { mode: 'replay', path });
    const texts = [];
    for (let i = 0; i < 3; i++) texts.push((await player.doGenerate(ask('same'))).text);
    expect(texts).toEqual(['first', 'second', 'second']);
  });

  it('streams a reply recorded by generate, and generates from a recorded stream', async () => {
    const path = join(dir, 'c.jsonl');
    const recorder = withCassette(scriptedModel({ replies: ['from generate', 'from stream'], chunkSize: 4 }), { mode: 'record', path });
    await recorder.doGenerate(ask('g'));
    await collect(recorder.doStream(ask('s')));
    const player = withCassette(offline, { mode: 'replay', path });
    const parts = await collect(player.doStream(ask('g')));
    expect(parts.map((p) => p.type)).toEqual(['text-delta', 'finish']);
    expect((await player.doGenerate(ask('s'))).text).toBe('from stream');
  });

  it('names the request, the file and its size on a miss', async () => {
    const path = join(dir, 'c.jsonl');
    await withCassette(scriptedModel({ replies: ['x'] }), { mode: 'record', path }).doGenerate(ask('recorded question'));
    const player = withCassette(offline, { mode: 'replay', path });
    const error = await player.doGenerate(ask('an entirely different question that was never recorded by anyone')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CassetteMissError);
    expect(error).toMatchObject({ code: 'CASSETTE_MISS', path, entries: 1 });
    const message = (error as Error).message;
    expect(message).toContain(path);
    expect(message).toContain('"an entirely different question that was never recorded by anyone"');
    expect(message).toContain('(1 entry)');
  });

  it('reports a missing cassette file by name', async () => {
    const path = join(dir, 'absent.jsonl');
    const error = await withCassette(offline, { mode: 'replay', path }).doGenerate(ask('q')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CassetteFileError);
    expect((error as Error).message).toContain(`${path}: file not found`);
  });

  it('reports a malformed line by file and line number', async () => {
    const path = join(dir, 'bad.jsonl');
    const header = '{"$schemaVersion":1,"type":"taskforce.cassette","source":"scripted"}';
    await writeFile(path, `${header}\n{"provider":"scripted","model":"m","request":{},"response":{"kind":"generate"}}\n{not json\n`);
    const error = await readCassette(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CASSETTE_INVALID', line: 2 });
    expect((error as Error).message).toContain(`${path}:2: invalid entry: response.result`);
    await writeFile(path, `${header}\n\n{not json\n`);
    expect(await readCassette(path).catch((e: unknown) => e)).toMatchObject({ line: 3 });
  });

  it('rejects an unknown schema version naming it', async () => {
    const path = join(dir, 'v9.jsonl');
    await writeFile(path, '{"$schemaVersion":9,"type":"taskforce.cassette","source":"recorded"}\n');
    await expect(readCassetteHeader(path)).rejects.toThrow(/:1: \$schemaVersion 9 is not supported/);
  });

  it('replays a hand-written cassette whose entries carry no hash', async () => {
    const path = join(dir, 'scripted.jsonl');
    const entry = cassetteEntry(offline, ask('hi'), {
      kind: 'generate',
      result: { text: 'hello', toolCalls: [], usage: { inputTokens: 3, outputTokens: 1 }, stopReason: 'end_turn', modelId: 'scripted' },
    });
    const { hash: _hash, ...withoutHash } = entry;
    await writeCassette(path, { header: { $schemaVersion: 1, type: 'taskforce.cassette', source: 'scripted' }, entries: [withoutHash] });
    expect((await withCassette(offline, { mode: 'replay', path }).doGenerate(ask('hi'))).text).toBe('hello');
  });

  it('does not record a call that failed', async () => {
    const path = join(dir, 'c.jsonl');
    const recorder = withCassette(scriptedModel({ replies: [{ error: new Error('boom') }, 'ok'] }), { mode: 'record', path });
    await expect(recorder.doGenerate(ask('q'))).rejects.toThrow('boom');
    await recorder.doGenerate(ask('q'));
    expect((await readCassette(path)).entries).toHaveLength(1);
  });
});

describe('withCassette record mode and the header', () => {
  it('refuses to append real replies to a cassette whose header says scripted', async () => {
    const path = join(dir, 'c.jsonl');
    await withCassette(scriptedModel({ replies: ['x'] }), { mode: 'record', path }).doGenerate(ask('q'));
    const real = { ...scriptedModel({ replies: ['y'] }), provider: 'openai' };
    const error = await withCassette(real, { mode: 'record', path }).doGenerate(ask('q')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CassetteFileError);
    expect((error as Error).message).toContain(`${path}:1: the header says the replies are "scripted" but these are "recorded"`);
  });
});
