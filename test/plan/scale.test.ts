import { describe, expect, it } from 'vitest';
import { buildTaskTree } from '../../src/plan/tree.js';
import type { PlanSpec } from '../../src/plan/types.js';
import { randomInt, seededRandom } from '../../src/util/random.js';

/**
 * 10,000 tasks in 100 chains of 100; each task also depends on a few random earlier tasks, many of
 * them redundant. Checks the results against plain, slow recomputation on a sample; timing is for bench/.
 */
function bigPlan(): PlanSpec {
  const random = seededRandom('plan-scale');
  const tasks = Array.from({ length: 10_000 }, (_, i) => {
    const dependsOn = i % 100 === 0 ? [] : [`t${i - 1}`];
    for (let k = 0; k < 3 && i > 0; k++) dependsOn.push(`t${randomInt(random, i)}`);
    return { id: `t${i}`, title: `Task ${i}`, instructions: `Do ${i}`, dependsOn, effort: 1 + randomInt(random, 5) };
  });
  return buildSpec(tasks);
}

function buildSpec(tasks: { id: string; title: string; instructions: string; dependsOn: string[]; effort: number }[]): PlanSpec {
  return {
    goal: 'scale',
    tasks: tasks.map((t) => ({ ...t, capabilities: [], priority: 'medium', decomposable: false })),
  };
}

/** Ancestors of `id` by depth-first search over `deps`. */
function ancestors(id: string, deps: ReadonlyMap<string, readonly string[]>, skip?: readonly [string, string]): Set<string> {
  const seen = new Set<string>();
  const stack = [...(deps.get(id) ?? [])].filter((d) => !(skip && skip[0] === id && skip[1] === d));
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(deps.get(next) ?? []));
  }
  return seen;
}

describe('plans of 10,000 tasks', () => {
  const spec = bigPlan();
  const tree = buildTaskTree(spec, { maxTasks: 10_000 });
  const original = new Map(spec.tasks.map((t) => [t.id, t.dependsOn] as const));
  const reduced = new Map(tree.tasks.map((t) => [t.id, t.dependsOn] as const));
  const sample = Array.from({ length: 40 }, (_, k) => `t${k * 250 + 99}`);

  it('orders every task after its dependencies', () => {
    const position = new Map(tree.tasks.map((t, i) => [t.id, i]));
    expect(tree.tasks).toHaveLength(10_000);
    for (const t of tree.tasks) for (const dep of t.dependsOn) expect(position.get(dep)!).toBeLessThan(position.get(t.id)!);
  });

  it('keeps reachability and drops redundant edges (sampled)', () => {
    expect(tree.droppedEdges.length).toBeGreaterThan(1000);
    for (const id of sample) {
      expect(ancestors(id, reduced)).toEqual(ancestors(id, original));
      for (const dep of reduced.get(id)!) expect(ancestors(id, reduced, [id, dep]).has(dep)).toBe(false);
    }
  });

  it('computes remaining paths that match a direct recursion (sampled)', () => {
    const dependents = new Map<string, string[]>();
    for (const t of spec.tasks) for (const dep of t.dependsOn) (dependents.get(dep) ?? dependents.set(dep, []).get(dep)!).push(t.id);
    const effort = new Map(spec.tasks.map((t) => [t.id, t.effort]));
    const memo = new Map<string, number>();
    // Ids are numbered in a topological order, so filling from the last task keeps recursion shallow.
    for (let i = spec.tasks.length - 1; i >= 0; i--) {
      const id = `t${i}`;
      memo.set(id, effort.get(id)! + Math.max(0, ...(dependents.get(id) ?? []).map((d) => memo.get(d)!)));
    }
    for (const id of sample) expect(tree.analysis.remainingPath[id]).toBe(memo.get(id));
    expect(tree.analysis.criticalPathEffort).toBe(Math.max(...memo.values()));
    const pathEffort = tree.analysis.criticalPath.reduce((sum, id) => sum + effort.get(id)!, 0);
    expect(pathEffort).toBe(tree.analysis.criticalPathEffort);
    tree.analysis.criticalPath.slice(1).forEach((id, k) => expect(reduced.get(id)).toContain(tree.analysis.criticalPath[k]));
  });
});
