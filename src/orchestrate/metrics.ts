import type { TaskStatus } from '../scheduler/types.js';
import type { RunMetrics, RunNode } from './types.js';

/** Every run of the tree, depth-first, parents first. */
export function runsOf(root: RunNode): RunNode[] {
  const out: RunNode[] = [];
  const visit = (run: RunNode) => {
    out.push(run);
    for (const task of run.tasks) for (const child of task.subRuns) visit(child);
  };
  visit(root);
  return out;
}

/** The totals of a finished tree. Usage is the root's subtree roll-up, so it counts every level once. */
export function metricsOf(root: RunNode, extra: { readonly wallTimeMs: number; readonly agentsSpawned: number }): RunMetrics {
  const runs = runsOf(root);
  const tasks: Record<TaskStatus, number> = { completed: 0, failed: 0, skipped: 0, cancelled: 0, 'not-run': 0, waiting: 0 };
  for (const run of runs) for (const task of run.tasks) tasks[task.status] += 1;
  const total = root.usage.subtree;
  return {
    tokens: total.tokens,
    usage: total.usage,
    costUsd: total.costUsd,
    modelCalls: total.modelCalls,
    wallTimeMs: extra.wallTimeMs,
    agentsSpawned: extra.agentsSpawned,
    maxDepthReached: Math.max(...runs.map((run) => run.depth)),
    runs: runs.length,
    tasks,
    rounds: root.refine?.rounds ?? 0,
    ...(root.refine ? { refine: root.refine } : {}),
  };
}
