/**
 * Figure 2 (W2): makespan efficiency of 10,000 tasks × 20 ms at concurrency 64, one cold process per
 * run, paths in turn within each repeat. Efficiency = true bound / makespan; orchestrate()'s bound
 * includes its planner and synthesis calls.
 */
import { figureOf, type Figure } from './figure.js';
import { interleaved, runChild } from './spawn.js';
import { summarise } from './stats.js';

const PATHS = [
  ['raw', 'raw (64 loops awaiting timers)'],
  ['scheduler', 'scheduler'],
  ['task', 'Task()'],
  ['orchestrate', 'orchestrate() with its planner'],
] as const;

export function measureMakespan(processes: number): Figure[] {
  console.log(`  W2 makespan: ${processes} cold processes × ${PATHS.length} paths (~4 s each)`);
  const results = interleaved(processes, PATHS.map(([path]) => path), (path) => runChild('makespan.mjs', [path]));
  return PATHS.map(([path, pathName]) => {
    const runs = results.get(path)!;
    const done = runs.flatMap((r) => (r.ok ? [r.value] : []));
    const note = done.length
      ? `makespan median ${summarise(done.map((v) => Number(v.makespanMs))).median.toFixed(0)} ms, bound ${Number(done[0]!.boundMs).toFixed(0)} ms`
      : undefined;
    return figureOf(`W2 efficiency ${pathName}`, '', runs, (v) => Number(v.efficiency), { target: { op: '>=', value: 0.95 }, ...(note ? { note } : {}) });
  });
}
