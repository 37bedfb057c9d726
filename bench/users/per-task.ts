/**
 * Figure 1: µs per task, cold (first run in a fresh process) and warm (later runs in it), for raw
 * promises, the scheduler, Task() and orchestrate() on W1, W3 and W4. The paths of a workload run
 * in turn within each repeat, so they share the machine's noise.
 */
import { figureOf, type Figure, type Target } from './figure.js';
import { interleaved, runChild } from './spawn.js';

const PATHS: readonly (readonly [string, string, Target | undefined])[] = [
  ['raw', 'raw promises', undefined],
  ['scheduler', 'scheduler (plan built)', undefined],
  ['task', 'Task()', { op: '<=', value: 20 }],
  ['orchestrate', 'orchestrate() user plan', { op: '<=', value: 30 }],
];
const WORKLOADS = [
  ['W1', 'W1 fan-out 10K'],
  ['W3', 'W3 chain 1K'],
  ['W4', 'W4 DAG 10×100'],
] as const;

export function measurePerTask(processes: number, warmRounds: number): Figure[] {
  const figures: Figure[] = [];
  for (const [workload, workloadName] of WORKLOADS) {
    console.log(`  µs per task, ${workloadName}: ${processes} cold processes × ${PATHS.length} paths`);
    const paths = PATHS.map(([path]) => path);
    const results = interleaved(processes, paths, (path) => runChild('per-task.mjs', [path, workload, String(warmRounds)]));
    for (const [path, pathName, target] of PATHS) {
      const runs = results.get(path)!;
      const name = `µs/task ${pathName}, ${workloadName}`;
      figures.push(figureOf(`${name}, cold`, 'µs', runs, (v) => Number(v.coldUs), target ? { target } : {}));
      figures.push(figureOf(`${name}, warm`, 'µs', runs, (v) => v.warmUs as number[]));
    }
  }
  return figures;
}
