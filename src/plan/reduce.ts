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
 * Walks the tasks in topological order with an ancestor bitset per task (indexed by topological
 * position). A task's dependencies are visited latest-first: a dependency that is already an ancestor
 * of one visited before it is redundant. Cost is O(kept edges × n / 32) word operations; a bitset of
 * n / 8 bytes is kept only for tasks that others depend on (12.5 MB for 10,000 such tasks, nothing for
 * tasks that stand alone).
 */
export function transitiveReduction(deps: readonly (readonly number[])[], order: readonly number[]): Reduction {
  const n = deps.length;
  const words = (n + 31) >>> 5;
  const position = new Int32Array(n);
  order.forEach((task, p) => (position[task] = p));
  const hasDependents = new Uint8Array(n);
  for (const list of deps) for (const dep of list) hasDependents[dep] = 1;
  // Ancestors by topological position; undefined for a task without dependencies (no ancestors).
  const ancestors: (Uint32Array | undefined)[] = new Array(n);
  const kept: number[][] = deps.map(() => []);
  const dropped: [number, number][] = [];

  for (let p = 0; p < order.length; p++) {
    const task = order[p]!;
    const list = deps[task]!;
    if (list.length === 0) continue;
    const row = new Uint32Array(words);
    const latestFirst = list.map((dep) => position[dep]!).sort((a, b) => b - a);
    const keep = new Set<number>();
    for (const q of latestFirst) {
      const dep = order[q]!;
      if ((row[q >>> 5]! >>> (q & 31)) & 1) {
        dropped.push([task, dep]);
        continue;
      }
      keep.add(dep);
      // Ancestors of q sit at positions below q, so only the words up to q's need merging.
      const from = ancestors[q];
      if (from) for (let w = 0, last = q >>> 5; w <= last; w++) row[w]! |= from[w]!;
      row[q >>> 5]! |= 1 << (q & 31);
    }
    if (hasDependents[task]) ancestors[p] = row;
    kept[task] = list.filter((dep) => keep.has(dep));
  }
  return { deps: kept, dropped };
}
