import type { PlanSpec, TaskSpec } from '../../src/plan/types.js';

/** A task with the defaults filled, for tests: `task('b', ['a'], { effort: 3 })`. */
export function task(id: string, dependsOn: string[] = [], extra: Partial<TaskSpec> = {}): TaskSpec {
  return {
    id,
    title: `Task ${id}`,
    instructions: `Do ${id}`,
    capabilities: [],
    dependsOn,
    priority: 'medium',
    effort: 1,
    decomposable: false,
    ...extra,
  };
}

/** A plan from a `{ id: [deps] }` map, in key order, every task of effort 1 unless `effort` says otherwise. */
export function planOf(edges: Record<string, string[]>, effort: Record<string, number> = {}): PlanSpec {
  return {
    goal: 'test goal',
    tasks: Object.entries(edges).map(([id, deps]) => task(id, deps, effort[id] !== undefined ? { effort: effort[id] } : {})),
  };
}
