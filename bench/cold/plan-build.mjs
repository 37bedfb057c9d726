/**
 * Building one big plan in a cold process: `buildTaskTree` (validate, reduce, analyse) on a plan
 * object made beforehand (untimed); seconds and the process's peak RSS (the plan object included).
 * Needs a large heap (`--max-old-space-size=4096`).
 *
 *   node --max-old-space-size=4096 bench/cold/plan-build.mjs <chain-1M|layered-1M|fan-in-100K>
 */
import { buildTaskTree } from '../../dist/src/index.js';
import { emit, timed } from './emit.mjs';
import { chain, fanIn, layered, planOf } from './workloads.mjs';

const SHAPES = {
  'chain-1M': () => chain(1_000_000),
  'layered-1M': () => layered(1_000, 1_000, 3, 42),
  'fan-in-100K': () => fanIn(100_000),
};

const shape = process.argv[2];
const deps = SHAPES[shape]?.();
if (!deps) throw new Error(`bench: unknown plan shape "${shape}" (${Object.keys(SHAPES).join(', ')})`);
const plan = planOf(deps);
const inputRssBytes = process.memoryUsage().rss;
const { ms, value: tree } = await timed(() => buildTaskTree(plan));
emit({
  shape,
  tasks: tree.tasks.length,
  edges: deps.reduce((n, list) => n + list.length, 0),
  seconds: ms / 1000,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  inputRssBytes,
});
