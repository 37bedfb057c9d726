/**
 * Figure 4: building big plans (`buildTaskTree`: validate, reduce, analyse), each in its own cold
 * process with a 4 GB heap. A shape whose first build fails or times out is not repeated.
 */
import { figureOf, type Figure, type Target } from './figure.js';
import { runChild, type ChildResult } from './spawn.js';

const MIB = 1024 * 1024;
const SHAPES: readonly (readonly [string, string, Target, Target | undefined])[] = [
  ['chain-1M', '1,000,000 chained tasks', { op: '<', value: 10 }, { op: '<', value: 2048 }],
  ['layered-1M', '1,000,000-task layered DAG (1,000 × 1,000, 3 deps)', { op: '<', value: 10 }, { op: '<', value: 2048 }],
  ['fan-in-100K', '100,000-task fan-in', { op: '<', value: 1 }, undefined],
];

export function measurePlans(processes: number): Figure[] {
  return SHAPES.flatMap(([shape, name, seconds, rss]) => {
    console.log(`  plan building, ${name}: up to ${processes} cold process(es)`);
    const results: ChildResult[] = [];
    for (let i = 0; i < processes && !results.some((r) => !r.ok); i++)
      results.push(runChild('plan-build.mjs', [shape], { nodeFlags: ['--max-old-space-size=4096'], timeoutMs: 60_000 }));
    return [
      figureOf(`plan build s, ${name}`, 's', results, (v) => Number(v.seconds), { target: seconds }),
      figureOf(`plan build peak RSS, ${name}`, 'MiB', results, (v) => Number(v.peakRssBytes) / MIB, {
        ...(rss ? { target: rss } : {}),
        note: 'includes the plan object itself',
      }),
    ];
  });
}
