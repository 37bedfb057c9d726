import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cassetteEntry, createModel, readCassetteHeader, writeCassette } from "/work/main/src/index.ts";

const path = join(await mkdtemp(join(tmpdir(), 'cassettes-')), 'scripted.jsonl');
const model = { provider: 'anthropic', modelId: 'claude-haiku-4-5' };
await writeCassette(path, {
  header: { $schemaVersion: 1, type: 'taskforce.cassette', source: 'scripted', description: 'hand-written demo replies' },
  entries: [
    cassetteEntry(model, { messages: [{ role: 'user', content: 'Hi' }] }, {
      kind: 'generate',
      result: { text: 'Hello!', toolCalls: [], usage: { inputTokens: 8, outputTokens: 2 }, stopReason: 'end_turn', modelId: 'claude-haiku-4-5' },
    }),
  ],
});

// Replay needs no API key and no network.
const offline = createModel('anthropic:claude-haiku-4-5', { cassette: { mode: 'replay', path } });
const { text, usage } = await offline.generate({ messages: [{ role: 'user', content: 'Hi' }] });
console.log(text, usage, (await readCassetteHeader(path)).source);

export {};
