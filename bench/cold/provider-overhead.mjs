/**
 * Per-call overhead of the runtime's model above the provider SDK: sequential chat calls to a
 * loopback OpenAI-compatible server through the raw `openai` client and through
 * `createModel('openai:gpt-4o-mini')`, alternating call by call so both share the machine's noise.
 * Per batch, the median µs per call of each (medians, since a busy machine stretches a few calls a lot).
 *
 *   node bench/cold/provider-overhead.mjs <baseURL ending in /v1> [batches = 10] [calls per path per batch = 200]
 */
import OpenAI from 'openai';
import { createModel } from '../../dist/src/index.js';
import { emit, numberArg, timed } from './emit.mjs';

const baseURL = process.argv[2];
if (!baseURL) throw new Error('bench: pass the loopback server base URL');
const batches = numberArg(1, 10);
const perBatch = numberArg(2, 200);

const client = new OpenAI({ apiKey: 'test', baseURL, maxRetries: 0 });
const model = createModel('openai:gpt-4o-mini', { env: { OPENAI_API_KEY: 'test', OPENAI_BASE_URL: baseURL } });
const messages = [{ role: 'user', content: 'hi' }];
const calls = {
  sdk: () => client.chat.completions.create({ model: 'gpt-4o-mini', messages }),
  taskforce: () => model.generate({ messages }),
};

const names = Object.keys(calls);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const byName = () => Object.fromEntries(names.map((name) => [name, []]));

for (let i = 0; i < 50; i++) for (const name of names) await calls[name](); // warm-up: connections, JIT
const samples = byName();
for (let b = 0; b < batches; b++) {
  const batch = byName();
  for (let i = 0; i < perBatch; i++)
    for (const name of i % 2 === 0 ? names : [...names].reverse()) batch[name].push((await timed(calls[name])).ms * 1000);
  for (const name of names) samples[name].push(median(batch[name]));
}
emit({ calls: batches * perBatch * names.length, sdkUs: samples.sdk, taskforceUs: samples.taskforce });
