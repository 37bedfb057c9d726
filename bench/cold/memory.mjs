/**
 * Memory per agent run in flight: `runs` concurrent Task() calls whose model holds every reply until
 * all of them are waiting in it, then the heap (after gc) and the process's peak RSS. Needs
 * `--expose-gc`, and a heap large enough for today's cost per run.
 *
 *   node --expose-gc --max-old-space-size=6144 bench/cold/memory.mjs [runs = 100000]
 */
import { emit, numberArg, timed } from './emit.mjs';
import { AGENT, benchTaskforce, reply } from './runtime.mjs';

const runs = numberArg(0, 100_000);
const gc = globalThis.gc;
if (!gc) throw new Error('bench: run with --expose-gc');

let holding = false;
let waiting = 0;
let allWaiting;
const everyRunWaiting = new Promise((resolve) => (allWaiting = resolve));
let release;
const released = new Promise((resolve) => (release = resolve));
const answer = reply('Done.');
const replies = async () => {
  if (holding && ++waiting === runs) allWaiting();
  if (holding) await released;
  return answer;
};

// A slot per run, so every run reaches the model instead of queueing for a slot.
const tf = await benchTaskforce({ replies, concurrency: runs });
const task = () => tf.task('bench', 'Do the task.', AGENT);
for (let i = 0; i < 100; i++) await task(); // compile and load lazily built parts before the baseline
holding = true;

gc();
const before = process.memoryUsage();
const { ms: startMs, value: pending } = await timed(async () => {
  const all = Array.from({ length: runs }, task);
  await everyRunWaiting;
  return all;
});
gc();
const during = process.memoryUsage();
release();
await Promise.all(pending);
await tf.close();

emit({
  runs,
  heapPerRunBytes: (during.heapUsed - before.heapUsed) / runs,
  externalPerRunBytes: (during.external + during.arrayBuffers - before.external - before.arrayBuffers) / runs,
  rssPerRunBytes: (during.rss - before.rss) / runs,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  baselineRssBytes: before.rss,
  startAllMs: startMs,
});
