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
 * Only a task with two or more dependencies can have a redundant one, so only those are searched.
 * For such a task, its dependencies are visited latest-first (by topological position); from each one
 * kept, a backward search marks its ancestors, pruned below the earliest dependency's position (no
 * dependency can sit there), so a dependency already marked is implied by a later one and dropped.
 * Memory is linear (one stamp per task); time is linear for chains, fan-ins and layered plans, and
 * grows with how far back a task's dependencies reach on plans whose edges span many layers.
 */
export function transitiveReduction(deps: readonly (readonly number[])[], order: readonly number[]): Reduction {
  const n = deps.length;
  const position = new Int32Array(n);
  order.forEach((task, p) => (position[task] = p));
  // stamp[t] === mark: t was reached in the current task's search (marks never repeat, so no clearing).
  const stamp = new Int32Array(n);
  const stack: number[] = [];
  const kept: (readonly number[])[] = deps.map((list) => list);
  const dropped: [number, number][] = [];

  for (let p = 0, mark = 0; p < order.length; p++) {
    const task = order[p]!;
    const list = deps[task]!;
    if (list.length < 2) continue;
    mark += 1;
    const latestFirst = [...list].sort((a, b) => position[b]! - position[a]!);
    const floor = position[latestFirst[latestFirst.length - 1]!]!;
    const keep = new Set<number>();
    for (const dep of latestFirst) {
      if (stamp[dep] === mark) {
        dropped.push([task, dep]);
        continue;
      }
      keep.add(dep);
      // Mark every ancestor of `dep` at or above the floor (their own lists are already reduced).
      stack.push(dep);
      while (stack.length > 0) {
        for (const up of kept[stack.pop()!]!) {
          if (stamp[up] === mark || position[up]! < floor) continue;
          stamp[up] = mark;
          stack.push(up);
        }
      }
    }
    if (keep.size < list.length) kept[task] = list.filter((dep) => keep.has(dep));
  }
  return { deps: kept.map((list) => [...list]), dropped };
}
