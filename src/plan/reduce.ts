/** The result of a transitive reduction, by task index. */
export interface Reduction {
  /** Dependencies each task keeps, in their original order. */
  readonly deps: number[][];
  /** Removed edges as `[task, dependency]`, in topological order of the task. */
  readonly dropped: [number, number][];
}

/**
 * Transitive reduction of a DAG: drops every dependency already implied by a longer path, since a
 * redundant edge makes a task look as if it waits on more than it does. Keeps reachability exactly.
 *
 * Walks the tasks in topological order with one ancestor bitset per task (indexed by topological
 * position). A task's dependencies are visited latest-first: a dependency that is already an ancestor
 * of one visited before it is redundant. Cost is O(kept edges × n / 32) word operations, and n² / 8
 * bytes of memory (12.5 MB for 10,000 tasks).
 */
export function transitiveReduction(deps: readonly (readonly number[])[], order: readonly number[]): Reduction {
  const n = deps.length;
  const words = (n + 31) >>> 5;
  const position = new Int32Array(n);
  order.forEach((task, p) => (position[task] = p));
  const ancestors = new Uint32Array(n * words);
  const kept: number[][] = deps.map(() => []);
  const dropped: [number, number][] = [];

  for (let p = 0; p < order.length; p++) {
    const task = order[p]!;
    const list = deps[task]!;
    if (list.length === 0) continue;
    const row = p * words;
    const latestFirst = list.map((dep) => position[dep]!).sort((a, b) => b - a);
    const keep = new Set<number>();
    for (const q of latestFirst) {
      const dep = order[q]!;
      if ((ancestors[row + (q >>> 5)]! >>> (q & 31)) & 1) {
        dropped.push([task, dep]);
        continue;
      }
      keep.add(dep);
      // Ancestors of q sit at positions below q, so only the words up to q's need merging.
      const from = q * words;
      for (let w = 0, last = q >>> 5; w <= last; w++) ancestors[row + w]! |= ancestors[from + w]!;
      ancestors[row + (q >>> 5)]! |= 1 << (q & 31);
    }
    kept[task] = list.filter((dep) => keep.has(dep));
  }
  return { deps: kept, dropped };
}
