import { closestNames } from '../util/edit-distance.js';
import { normalizeCapability } from '../agents/capabilities.js';
import { findCycles, groupByLayer, layerOf, topologicalOrder, type DependencyGraph } from './graph.js';
import { nearest } from './nearest.js';
import type { PlanProblem } from './problems.js';
import type { PlanSpec } from './types.js';

/** Size bounds of a plan. Absent = unbounded. */
export interface PlanLimits {
  /** Most tasks a plan may have. */
  readonly maxTasks?: number;
  /** Most tasks in one topological layer (tasks that could all run at once). */
  readonly maxBreadth?: number;
  /** Most tasks on one dependency chain. */
  readonly maxDepth?: number;
}

export interface ValidatePlanOptions extends PlanLimits {
  /** Capabilities some agent holds; when given, every capability a task needs must be among them. */
  readonly knownCapabilities?: Iterable<string>;
  /** Agent names; when given, a task pinned to an agent (`agent`) must name one of them. */
  readonly knownAgents?: Iterable<string>;
}

/** A plan that passed every rule, with the graph facts validation already computed. */
export interface ValidatedPlan {
  readonly spec: PlanSpec;
  readonly graph: DependencyGraph;
  /** Task indices in a deterministic topological order (dependencies first, then written order). */
  readonly order: readonly number[];
  /** Layer of each task index (0 = no dependencies). */
  readonly layer: ArrayLike<number>;
}

export type PlanValidation =
  | { readonly ok: true; readonly plan: ValidatedPlan }
  | { readonly ok: false; readonly problems: readonly PlanProblem[] };

/**
 * Checks a plan against every rule and reports all problems at once: unique ids, known dependencies,
 * no self-dependency, no cycles (each named, `a → b → c → a`), capabilities some agent holds (with the
 * nearest known one), pinned agents that exist, and the size bounds. Linear in tasks + dependencies
 * for a valid plan.
 *
 * @example
 * const result = validatePlan(spec, { knownCapabilities: ['research', 'writing'], maxDepth: 8 });
 * if (!result.ok) console.log(result.problems.map((p) => p.message));
 */
export function validatePlan(spec: PlanSpec, options: ValidatePlanOptions = {}): PlanValidation {
  const problems: PlanProblem[] = [];
  const tasks = spec.tasks;
  const indexOf = new Map<string, number>();
  tasks.forEach((task, i) => {
    const first = indexOf.get(task.id);
    if (first === undefined) indexOf.set(task.id, i);
    else
      problems.push({
        kind: 'duplicate-id',
        taskId: task.id,
        path: ['tasks', i, 'id'],
        message: `duplicate task id "${task.id}": tasks[${first}] and tasks[${i}] both use it`,
      });
  });

  const deps = resolveDependencies(spec, indexOf, problems);
  checkCapabilities(spec, options, problems);

  const { order, blocked } = topologicalOrder(deps);
  const ids = tasks.map((task) => task.id);
  for (const cycle of findCycles(deps, blocked)) {
    const first = cycle[0]!;
    problems.push({
      kind: 'cycle',
      taskId: ids[first]!,
      path: ['tasks', first, 'dependsOn'],
      message:
        `dependency cycle: ${abbreviate(cycle.map((i) => ids[i]!), ' → ', 20)} (each task depends on the next` +
        `${cycle.length > 21 ? `; ${cycle.length - 1} tasks` : ''})`,
    });
  }

  if (options.maxTasks !== undefined && tasks.length > options.maxTasks)
    problems.push({
      kind: 'too-many-tasks',
      path: ['tasks'],
      message: `the plan has ${tasks.length} tasks; the limit is ${options.maxTasks} (merge small tasks or mark big ones decomposable)`,
    });
  // Depth and breadth are only defined for an acyclic graph.
  const layer = layerOf(order, deps);
  if (blocked.length === 0) checkShape(ids, order, deps, layer, options, problems);

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, plan: { spec, graph: { ids, deps }, order, layer } };
}

function resolveDependencies(spec: PlanSpec, indexOf: ReadonlyMap<string, number>, problems: PlanProblem[]): number[][] {
  const seenBy = new Int32Array(spec.tasks.length).fill(-1);
  return spec.tasks.map((task, i) => {
    const list: number[] = [];
    task.dependsOn.forEach((depId, j) => {
      const path = ['tasks', i, 'dependsOn', j];
      const dep = indexOf.get(depId);
      if (depId === task.id) {
        problems.push({ kind: 'self-dependency', taskId: task.id, path, message: `task "${task.id}" depends on itself` });
      } else if (dep === undefined) {
        const guess = closestNames(depId, indexOf.keys(), 1)[0];
        problems.push({
          kind: 'unknown-dependency',
          taskId: task.id,
          path,
          message: `task "${task.id}" depends on unknown task "${depId}"${guess !== undefined ? `; did you mean "${guess}"?` : ''}`,
        });
      } else if (seenBy[dep] !== i) {
        seenBy[dep] = i;
        list.push(dep);
      }
    });
    return list;
  });
}

function checkCapabilities(spec: PlanSpec, options: ValidatePlanOptions, problems: PlanProblem[]): void {
  // Compared in canonical form (`Code_Review` = `code-review`), as the agent matcher does.
  const known = options.knownCapabilities ? [...options.knownCapabilities] : undefined;
  const capabilities = known ? new Set(known.map(normalizeCapability)) : undefined;
  const agents = options.knownAgents ? new Set(options.knownAgents) : undefined;
  const guesses = new Map<string, string | undefined>();
  spec.tasks.forEach((task, i) => {
    if (capabilities && known)
      task.capabilities.forEach((capability, j) => {
        if (capabilities.has(normalizeCapability(capability))) return;
        if (!guesses.has(capability)) guesses.set(capability, nearest(capability, known));
        const near = guesses.get(capability);
        problems.push({
          kind: 'unknown-capability',
          taskId: task.id,
          path: ['tasks', i, 'capabilities', j],
          message:
            `task "${task.id}" needs capability "${capability}", which no agent has` +
            (near !== undefined ? `; nearest known capability: "${near}"` : '; no agent declares any capability'),
        });
      });
    if (agents && task.agent !== undefined && !agents.has(task.agent)) {
      const near = closestNames(task.agent, agents, 1)[0];
      problems.push({
        kind: 'unknown-agent',
        taskId: task.id,
        path: ['tasks', i, 'agent'],
        message: `task "${task.id}" is pinned to agent "${task.agent}", which does not exist${near !== undefined ? `; nearest: "${near}"` : ''}`,
      });
    }
  });
}

function checkShape(
  ids: readonly string[],
  order: readonly number[],
  deps: readonly (readonly number[])[],
  layer: Int32Array,
  options: PlanLimits,
  problems: PlanProblem[],
): void {
  const layers = groupByLayer(order, layer);
  if (options.maxDepth !== undefined && layers.length > options.maxDepth) {
    const chain = longestChain(layers, deps, layer).map((i) => ids[i]!);
    problems.push({
      kind: 'too-deep',
      path: ['tasks'],
      message:
        `the plan is ${layers.length} tasks deep (${abbreviate(chain, ' → ')}); the limit is ${options.maxDepth} ` +
        `(run independent steps in parallel, or mark a long stretch as one decomposable task)`,
    });
  }
  if (options.maxBreadth !== undefined)
    layers.forEach((members, depth) => {
      if (members.length <= options.maxBreadth!) return;
      problems.push({
        kind: 'too-broad',
        path: ['tasks'],
        message:
          `${members.length} tasks sit at the same dependency level (layer ${depth}: ${abbreviate(members.map((i) => ids[i]!), ', ')}); ` +
          `the limit is ${options.maxBreadth} per layer (merge small tasks or group them under a decomposable task)`,
      });
    });
}

/** A chain through every layer, walked back from the first task of the deepest layer. */
function longestChain(layers: readonly (readonly number[])[], deps: readonly (readonly number[])[], layer: Int32Array): number[] {
  let task = layers[layers.length - 1]![0]!;
  const chain = [task];
  while (layer[task]! > 0) {
    task = deps[task]!.find((dep) => layer[dep] === layer[task]! - 1)!;
    chain.push(task);
  }
  return chain.reverse();
}

/** The items joined, or for a long list its first few, `…` and its last two. */
function abbreviate(items: readonly string[], separator: string, max = 8): string {
  if (items.length <= max) return items.join(separator);
  return [...items.slice(0, max - 4), '…', ...items.slice(-2)].join(separator);
}
