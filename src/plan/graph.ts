import { MinHeap } from './min-heap.js';

/**
 * A plan's dependency graph by task index (declaration order). `deps[i]` lists the tasks task `i`
 * depends on: known, deduplicated, never `i` itself, in the order they were written.
 */
export interface DependencyGraph {
  readonly ids: readonly string[];
  readonly deps: readonly (readonly number[])[];
}

/** Tasks that depend on each task: the reverse of `deps`, each list in ascending index order. */
export function dependentsOf(deps: readonly (readonly number[])[]): number[][] {
  const dependents: number[][] = deps.map(() => []);
  deps.forEach((list, task) => {
    for (const dep of list) dependents[dep]!.push(task);
  });
  return dependents;
}

/**
 * Kahn's algorithm; among ready tasks the lowest index goes first, so the order is deterministic and
 * keeps the written order wherever the dependencies allow. `blocked` holds the tasks that never became
 * ready: those on or behind a cycle (empty for a DAG).
 */
export function topologicalOrder(deps: readonly (readonly number[])[]): { order: number[]; blocked: number[] } {
  const n = deps.length;
  const dependents = dependentsOf(deps);
  const waiting = new Int32Array(n);
  const ready = new MinHeap();
  for (let i = 0; i < n; i++) {
    waiting[i] = deps[i]!.length;
    if (waiting[i] === 0) ready.push(i);
  }
  const order: number[] = [];
  for (let task = ready.pop(); task !== undefined; task = ready.pop()) {
    order.push(task);
    for (const next of dependents[task]!) if (--waiting[next]! === 0) ready.push(next);
  }
  const blocked: number[] = [];
  if (order.length < n) for (let i = 0; i < n; i++) if (waiting[i]! > 0) blocked.push(i);
  return { order, blocked };
}

/**
 * One cycle per strongly connected component among `among` (Tarjan, iterative so deep graphs do not
 * overflow the stack). Each cycle is the shortest one through the component's lowest-index task,
 * written in dependency direction and closed: `[a, b, c, a]` means a depends on b, b on c, c on a.
 */
export function findCycles(deps: readonly (readonly number[])[], among: readonly number[]): number[][] {
  const n = deps.length;
  const inScope = new Uint8Array(n);
  for (const task of among) inScope[task] = 1;
  const component = new Int32Array(n).fill(-1);
  const components = stronglyConnected(deps, among, inScope, component);
  const cycles: number[][] = [];
  components.forEach((members, c) => {
    if (members.length < 2) return;
    const start = Math.min(...members);
    cycles.push(shortestCycleThrough(start, deps, (task) => component[task] === c));
  });
  return cycles.sort((a, b) => a[0]! - b[0]!);
}

function stronglyConnected(
  deps: readonly (readonly number[])[],
  among: readonly number[],
  inScope: Uint8Array,
  component: Int32Array,
): number[][] {
  const n = deps.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  const visit = (task: number, work: number[], edge: number[]) => {
    index[task] = low[task] = counter++;
    stack.push(task);
    onStack[task] = 1;
    work.push(task);
    edge.push(0);
  };
  for (const root of among) {
    if (index[root] !== -1) continue;
    const work: number[] = [];
    const edge: number[] = [];
    visit(root, work, edge);
    while (work.length > 0) {
      const task = work[work.length - 1]!;
      const next = edge[edge.length - 1]!;
      const list = deps[task]!;
      if (next < list.length) {
        edge[edge.length - 1] = next + 1;
        const dep = list[next]!;
        if (!inScope[dep]) continue;
        if (index[dep] === -1) visit(dep, work, edge);
        else if (onStack[dep]) low[task] = Math.min(low[task]!, index[dep]!);
        continue;
      }
      work.pop();
      edge.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent]!, low[task]!);
      if (low[task] === index[task]) {
        const members: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component[member] = components.length;
          members.push(member);
        } while (member !== task);
        components.push(members);
      }
    }
  }
  return components;
}

/** Breadth-first search from `start` back to itself inside one component. */
function shortestCycleThrough(start: number, deps: readonly (readonly number[])[], inComponent: (task: number) => boolean): number[] {
  const cameFrom = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const task = queue[head]!;
    for (const dep of deps[task]!) {
      if (!inComponent(dep)) continue;
      if (dep === start) {
        const path = [start];
        for (let at = task; at !== start; at = cameFrom.get(at)!) path.push(at);
        path.push(start);
        // path is start, last, ..., first-step, start; flip the middle into dependency direction
        return [start, ...path.slice(1, -1).reverse(), start];
      }
      if (!cameFrom.has(dep)) {
        cameFrom.set(dep, task);
        queue.push(dep);
      }
    }
  }
  // unreachable: a strongly connected component of two or more tasks always has a cycle through each member
  throw new Error(`internal: no cycle through task index ${start}`);
}

/** Layer of each task: 0 without dependencies, else one more than its deepest dependency. Needs a topological order. */
export function layerOf(order: readonly number[], deps: readonly (readonly number[])[]): Int32Array {
  const layer = new Int32Array(deps.length);
  for (const task of order) {
    let deepest = -1;
    for (const dep of deps[task]!) deepest = Math.max(deepest, layer[dep]!);
    layer[task] = deepest + 1;
  }
  return layer;
}

/** Tasks grouped by layer, each layer in topological order. */
export function groupByLayer(order: readonly number[], layer: Int32Array): number[][] {
  const layers: number[][] = [];
  for (const task of order) (layers[layer[task]!] ??= []).push(task);
  return layers;
}
