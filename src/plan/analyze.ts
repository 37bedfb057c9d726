import { dependentsOf, groupByLayer, layerOf } from './graph.js';
import type { PlanAnalysis } from './types.js';

/** What analysis needs: a DAG by task index, a topological order of it, and each task's id and effort. */
export interface AnalysisInput {
  readonly ids: readonly string[];
  readonly effort: readonly number[];
  readonly deps: readonly (readonly number[])[];
  readonly order: readonly number[];
}

/**
 * Layers, critical path, effort totals, parallelism profile and each task's remaining path, in time
 * linear in tasks + dependencies. Ties on the critical path go to the task earlier in `order`, so the
 * result is deterministic.
 */
export function analyzeGraph(input: AnalysisInput): PlanAnalysis {
  const { ids, effort, deps, order } = input;
  const n = ids.length;
  const position = new Int32Array(n);
  order.forEach((task, p) => (position[task] = p));

  const layers = groupByLayer(order, layerOf(order, deps));
  const dependents = dependentsOf(deps);

  // Longest effort path from each task to a sink, the task itself included.
  const remaining = new Float64Array(n);
  for (let p = order.length - 1; p >= 0; p--) {
    const task = order[p]!;
    let longest = 0;
    for (const next of dependents[task]!) longest = Math.max(longest, remaining[next]!);
    remaining[task] = effort[task]! + longest;
  }

  const criticalPath: number[] = [];
  let current = pickLongest(order, remaining, position);
  while (current !== undefined) {
    criticalPath.push(current);
    current = pickLongest(dependents[current]!, remaining, position);
  }

  const remainingPath: Record<string, number> = {};
  let totalEffort = 0;
  for (const task of order) {
    remainingPath[ids[task]!] = remaining[task]!;
    totalEffort += effort[task]!;
  }
  const parallelismProfile = layers.map((layer) => layer.length);
  return {
    layers: layers.map((layer) => layer.map((task) => ids[task]!)),
    criticalPath: criticalPath.map((task) => ids[task]!),
    criticalPathEffort: criticalPath.length > 0 ? remaining[criticalPath[0]!]! : 0,
    totalEffort,
    parallelismProfile,
    maxParallelism: parallelismProfile.reduce((max, width) => Math.max(max, width), 0),
    remainingPath,
  };
}

/** The candidate with the longest remaining path; on a tie, the one first in topological order. */
function pickLongest(candidates: readonly number[], remaining: Float64Array, position: Int32Array): number | undefined {
  let best: number | undefined;
  for (const task of candidates) {
    if (
      best === undefined ||
      remaining[task]! > remaining[best]! ||
      (remaining[task] === remaining[best] && position[task]! < position[best]!)
    )
      best = task;
  }
  return best;
}
