/**
 * Per-call overhead of the runtime's model above the provider SDK: sequential chat calls to a
 * loopback OpenAI-compatible server through the raw `openai` client and through
 * `createModel('openai:gpt-4o-mini')`, alternating call by call so both share the machine's noise.
 * Per batch, the median µs per call of each (medians, since a busy machine stretches a few calls a lot).
 * Measured twice in the process: young (from its 51st call per path) and steady (from its 4,001st).
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

/** Per batch, the median µs per call of each path, calls alternating path by path. */
async function measure() {
  const samples = byName();
  for (let b = 0; b < batches; b++) {
    const batch = byName();
    for (let i = 0; i < perBatch; i++)
      for (const name of i % 2 === 0 ? names : [...names].reverse()) batch[name].push((await timed(calls[name])).ms * 1000);
    for (const name of names) samples[name].push(median(batch[name]));
  }
  return samples;
}

/** Calls every path `n` times, unmeasured. */
async function warmUp(n) {
  for (let i = 0; i < n; i++) for (const name of names) await calls[name]();
}

// A young process: 50 calls per path open the connections, then the measured calls. Our layers are
// still being compiled over the first thousand or so calls, so this includes that cost.
await warmUp(50);
const young = await measure();
// The same process once each path has made STEADY_CALLS calls: the cost per call that stays.
const STEADY_CALLS = 4000;
await warmUp(Math.max(0, STEADY_CALLS - 50 - batches * perBatch));
const steady = await measure();
emit({
  calls: (STEADY_CALLS + batches * perBatch) * names.length,
  sdkUs: young.sdk,
  taskforceUs: young.taskforce,
  steadySdkUs: steady.sdk,
  steadyTaskforceUs: steady.taskforce,
});
