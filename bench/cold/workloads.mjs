/**
 * Workload shapes as dependency lists by task index (every dependency has a lower index, so the
 * index order is topological), and the plan object a user would write for one.
 */
import { seededRandom } from '../../dist/src/index.js';

/** The per-task workloads of issue 13. */
export const WORKLOADS = {
  W1: () => independent(10_000),
  W3: () => chain(1_000),
  W4: () => layered(10, 100, 3, 42),
};

/** `n` tasks without dependencies (fan-out). */
export function independent(n) {
  return Array.from({ length: n }, () => []);
}

/** Each task after the previous one. */
export function chain(n) {
  return Array.from({ length: n }, (_, i) => (i === 0 ? [] : [i - 1]));
}

/** `layers` × `width` tasks, each depending on `deps` distinct random tasks of the layer before (seeded). */
export function layered(layers, width, deps, seed) {
  const random = seededRandom(seed);
  const out = [];
  for (let layer = 0; layer < layers; layer++) {
    for (let w = 0; w < width; w++) {
      const picked = new Set();
      while (layer > 0 && picked.size < deps) picked.add((layer - 1) * width + Math.floor(random.next() * width));
      out.push([...picked]);
    }
  }
  return out;
}

/** `n - 1` independent tasks and one that depends on all of them. */
export function fanIn(n) {
  const sources = Array.from({ length: n - 1 }, (_, i) => i);
  return [...independent(n - 1), sources];
}

/** The id of task `i`: the scripted synthesizer cites `t0`, which every workload has. */
export const taskId = (i) => `t${i}`;

/** The plan object (`PlanSpecInput`) for a workload, as a user would pass it. */
export function planOf(deps) {
  return {
    goal: 'bench',
    tasks: deps.map((list, i) => ({ id: taskId(i), title: taskId(i), instructions: `Do ${taskId(i)}.`, dependsOn: list.map(taskId) })),
  };
}
