/** Figure 3: memory per agent run in flight (100,000 concurrent Task() calls held at the model). */
import { figureOf, type Figure } from './figure.js';
import { runChild } from './spawn.js';

const RUNS = 100_000;
const MIB = 1024 * 1024;

export function measureMemory(processes: number): Figure[] {
  console.log(`  memory: ${processes} cold process(es) × ${RUNS.toLocaleString('en')} Task() runs in flight`);
  const results = Array.from({ length: processes }, () =>
    runChild('memory.mjs', [String(RUNS)], { nodeFlags: ['--expose-gc', '--max-old-space-size=6144'] }),
  );
  const rssPerRun = results.flatMap((r) => (r.ok ? [Number(r.value.rssPerRunBytes).toFixed(0)] : []));
  return [
    figureOf(`heap per Task() run in flight (${RUNS / 1000}K runs, after gc)`, 'B', results, (v) => Number(v.heapPerRunBytes), {
      target: { op: '<=', value: 4096 },
      ...(rssPerRun.length ? { note: `RSS growth per run ${rssPerRun.join(', ')} B` } : {}),
    }),
    figureOf(`peak RSS, ${RUNS / 1000}K Task() runs in flight`, 'MiB', results, (v) => Number(v.peakRssBytes) / MIB, {
      target: { op: '<', value: 1024 },
    }),
  ];
}
