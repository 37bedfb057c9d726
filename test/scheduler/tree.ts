import type { TaskSpec, TaskTree } from '../../src/plan/types.js';

/** A task as tests write it: id, deps, and optionally effort and priority. */
export interface TestTask {
  readonly id: string;
  readonly deps?: readonly string[];
  readonly effort?: number;
  readonly priority?: TaskSpec['priority'];
}

/**
 * Builds a TaskTree the way the planner would shape it, without the planner: tasks in the given
 * order and `analysis.remainingPath` computed here (effort of the longest path to a sink, own effort
 * included). Only the fields the scheduler reads are meaningful.
 */
export function testTree(tasks: readonly TestTask[]): TaskTree {
  const specs: TaskSpec[] = tasks.map((t) => ({
    id: t.id,
    title: `Task ${t.id}`,
    instructions: `Do ${t.id}`,
    capabilities: [],
    dependsOn: [...(t.deps ?? [])],
    priority: t.priority ?? 'medium',
    effort: t.effort ?? 1,
    decomposable: false,
  }));
  const byId = new Map(specs.map((s) => [s.id, s]));
  const dependents = new Map<string, string[]>(specs.map((s) => [s.id, []]));
  for (const s of specs) for (const d of s.dependsOn) dependents.get(d)?.push(s.id);
  const remainingPath: Record<string, number> = {};
  const visit = (id: string): number => {
    const known = remainingPath[id];
    if (known !== undefined) return known;
    const own = byId.get(id)?.effort ?? 1;
    let longest = 0;
    for (const next of dependents.get(id) ?? []) longest = Math.max(longest, visit(next));
    return (remainingPath[id] = own + longest);
  };
  // Reverse order keeps recursion shallow for long chains listed first to last.
  for (let i = specs.length - 1; i >= 0; i--) visit(specs[i]!.id);
  const totalEffort = specs.reduce((sum, s) => sum + s.effort, 0);
  return {
    goal: 'test',
    tasks: specs,
    droppedEdges: [],
    analysis: {
      layers: [],
      criticalPath: [],
      criticalPathEffort: Math.max(0, ...Object.values(remainingPath)),
      totalEffort,
      parallelismProfile: [],
      maxParallelism: 0,
      remainingPath,
    },
  };
}
