import type { TaskPriority, TaskSpec, TaskTree } from '../plan/types.js';
import { InvalidTaskGraphError } from './errors.js';

/** Rank of each priority in the ready queue (higher goes first). */
export const PRIORITY_RANK: Readonly<Record<TaskPriority, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * A task tree turned into integer-indexed arrays: the shape the scheduler runs on. Edges are stored
 * as compressed adjacency lists (`xStart[i]..xStart[i+1]` indexes `x`), so walking a task's
 * dependencies or dependents allocates nothing.
 */
export interface CompiledTaskGraph {
  readonly tasks: readonly TaskSpec[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly dependencyStart: Int32Array;
  readonly dependencies: Int32Array;
  readonly dependentStart: Int32Array;
  readonly dependents: Int32Array;
  readonly remainingPath: Float64Array;
  readonly priority: Uint8Array;
  /** Position of each task's id in sorted (code unit) order: the final, deterministic tie-break. */
  readonly idRank: Int32Array;
  /**
   * Declared dependencies the plan's transitive reduction dropped (`tree.droppedEdges`), by task: they
   * no longer gate readiness (another path already does), but the task still receives their outputs.
   */
  readonly indirectInputs: ReadonlyMap<number, readonly number[]>;
}

/**
 * Indexes a tree and checks what the scheduler relies on: unique ids, known dependencies (dropped ones
 * included), no cycle, and a finite `analysis.remainingPath` for every task.
 * @throws InvalidTaskGraphError naming the task and the field at fault.
 */
export function compileTaskGraph(tree: TaskTree): CompiledTaskGraph {
  const tasks = tree.tasks;
  const n = tasks.length;
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = tasks[i]!.id;
    if (indexOf.has(id)) throw new InvalidTaskGraphError(`tasks[${i}].id: duplicate task id "${id}"`);
    indexOf.set(id, i);
  }

  const dependencyStart = new Int32Array(n + 1);
  const dependentCount = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const task = tasks[i]!;
    const deps = task.dependsOn ?? [];
    for (const dep of deps) {
      const d = indexOf.get(dep);
      if (d === undefined) throw new InvalidTaskGraphError(`task "${task.id}".dependsOn: unknown task "${dep}"`);
      dependentCount[d]! += 1;
    }
    dependencyStart[i + 1] = dependencyStart[i]! + deps.length;
  }
  const dependencies = new Int32Array(dependencyStart[n]!);
  const dependentStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) dependentStart[i + 1] = dependentStart[i]! + dependentCount[i]!;
  const dependents = new Int32Array(dependentStart[n]!);
  const fill = dependentStart.slice(0, n);
  for (let i = 0; i < n; i++) {
    let at = dependencyStart[i]!;
    for (const dep of tasks[i]!.dependsOn ?? []) {
      const d = indexOf.get(dep)!;
      dependencies[at++] = d;
      dependents[fill[d]!++] = i;
    }
  }
  assertAcyclic(tasks, dependencyStart, dependentStart, dependents);

  const remainingPath = new Float64Array(n);
  const priority = new Uint8Array(n);
  const paths = tree.analysis.remainingPath;
  for (let i = 0; i < n; i++) {
    const task = tasks[i]!;
    const path = paths[task.id];
    if (typeof path !== 'number' || !Number.isFinite(path))
      throw new InvalidTaskGraphError(`analysis.remainingPath["${task.id}"]: expected a finite number, got ${String(path)}`);
    remainingPath[i] = path;
    priority[i] = PRIORITY_RANK[task.priority] ?? PRIORITY_RANK.medium;
  }

  const byId = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const x = tasks[a]!.id;
    const y = tasks[b]!.id;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const idRank = new Int32Array(n);
  for (let r = 0; r < n; r++) idRank[byId[r]!] = r;

  const indirectInputs = new Map<number, number[]>();
  tree.droppedEdges.forEach(([taskId, depId], e) => {
    const i = indexOf.get(taskId);
    const d = indexOf.get(depId);
    if (i === undefined || d === undefined)
      throw new InvalidTaskGraphError(`droppedEdges[${e}]: unknown task "${i === undefined ? taskId : depId}"`);
    const list = indirectInputs.get(i);
    if (list) list.push(d);
    else indirectInputs.set(i, [d]);
  });

  return { tasks, indexOf, dependencyStart, dependencies, dependentStart, dependents, remainingPath, priority, idRank, indirectInputs };
}

/** Kahn's algorithm: if some task never reaches zero unmet dependencies, it is on (or behind) a cycle. */
function assertAcyclic(
  tasks: readonly TaskSpec[],
  dependencyStart: Int32Array,
  dependentStart: Int32Array,
  dependents: Int32Array,
): void {
  const n = tasks.length;
  const unmet = new Int32Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  for (let i = 0; i < n; i++) {
    unmet[i] = dependencyStart[i + 1]! - dependencyStart[i]!;
    if (unmet[i] === 0) stack[top++] = i;
  }
  let seen = 0;
  while (top > 0) {
    const i = stack[--top]!;
    seen++;
    for (let e = dependentStart[i]!; e < dependentStart[i + 1]!; e++) {
      const d = dependents[e]!;
      if (--unmet[d]! === 0) stack[top++] = d;
    }
  }
  if (seen === n) return;
  const stuck: string[] = [];
  for (let i = 0; i < n && stuck.length < 5; i++) if (unmet[i]! > 0) stuck.push(`"${tasks[i]!.id}"`);
  throw new InvalidTaskGraphError(`dependency cycle: tasks ${stuck.join(', ')} can never become ready`);
}
