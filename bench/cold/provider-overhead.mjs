/**
 * Per-call overhead of the runtime's model above the provider SDK: sequential chat calls to a
 * loopback OpenAI-compatible server through the raw `openai` client and through
 * `createModel('openai:gpt-4o-mini')`, in alternating batches so both share the machine's noise.
 *
 *   node bench/cold/provider-overhead.mjs <baseURL ending in /v1> [batches = 10] [calls per batch = 200]
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

/** µs per call over `n` sequential calls. */
async function perCall(call, n) {
  const { ms } = await timed(async () => {
    for (let i = 0; i < n; i++) await call();
  });
  return (ms * 1000) / n;
}

for (const call of Object.values(calls)) await perCall(call, 50); // warm-up: connections, JIT
const samples = { sdk: [], taskforce: [] };
for (let b = 0; b < batches; b++) {
  const order = b % 2 === 0 ? ['sdk', 'taskforce'] : ['taskforce', 'sdk'];
  for (const name of order) samples[name].push(await perCall(calls[name], perBatch));
}
emit({ calls: batches * perBatch, sdkUs: samples.sdk, taskforceUs: samples.taskforce });
