import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TaskSpec } from '../../src/plan/types.js';
import { runTaskTree } from '../../src/scheduler/index.js';
import type { FailurePolicy, TaskExecutor } from '../../src/scheduler/index.js';
import { testTree } from './tree.js';

/** A random DAG: task i may depend on any earlier task. Plus which tasks fail and the concurrency cap. */
const scenario = fc
  .integer({ min: 1, max: 12 })
  .chain((n) =>
    fc.record({
      deps: fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray([...Array(i).keys()]))),
      failing: fc.subarray([...Array(n).keys()], { maxLength: Math.min(3, n) }),
      concurrency: fc.integer({ min: 1, max: 4 }),
    }),
  )
  .map(({ deps, failing, concurrency }) => ({
    tree: testTree(deps.map((d, i) => ({ id: `t${i}`, deps: d.map((j) => `t${j}`) }))),
    failing: new Set(failing.map((i) => `t${i}`)),
    concurrency,
  }));

/**
 * An executor that lets fast-check's scheduler decide when each task settles, checking on the way in
 * that its dependencies are done and their outputs were passed, and counting tasks in flight.
 */
function observedExecutor(s: fc.Scheduler, failing: ReadonlySet<string>) {
  const completed = new Set<string>();
  const state = { inFlight: 0, maxInFlight: 0, violations: [] as string[] };
  const execute: TaskExecutor<string> = async (task: TaskSpec, { inputs }) => {
    for (const dep of task.dependsOn) if (!completed.has(dep)) state.violations.push(`${task.id} started before ${dep}`);
    const expected = Object.fromEntries(task.dependsOn.map((d) => [d, `out:${d}`]));
    if (JSON.stringify(inputs) !== JSON.stringify(expected)) state.violations.push(`${task.id} got ${JSON.stringify(inputs)}`);
    state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
    try {
      await s.schedule(Promise.resolve(), task.id);
      if (failing.has(task.id)) throw new Error(`${task.id} failed`);
      completed.add(task.id);
      return `out:${task.id}`;
    } finally {
      state.inFlight--;
    }
  };
  return { execute, state };
}

/** Ids of a task and everything it depends on, directly or not. */
function selfAndAncestors(tasks: readonly TaskSpec[], id: string): Set<string> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(byId.get(next)?.dependsOn ?? []));
  }
  return seen;
}

describe('scheduler under arbitrary async orderings (fc.scheduler)', () => {
  it('respects dependencies, passes inputs and never exceeds the cap', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.scheduler(), async ({ tree, concurrency }, s) => {
        const { execute, state } = observedExecutor(s, new Set());
        const result = await s.waitFor(runTaskTree(tree, execute, { concurrency }));
        expect(state.violations).toEqual([]);
        expect(state.maxInFlight).toBeLessThanOrEqual(concurrency);
        expect(result.status).toBe('completed');
        expect(result.counts.completed).toBe(tree.tasks.length);
      }),
    );
  });

  it('continue: a task completes exactly when neither it nor any ancestor failed; the rest are skipped', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.scheduler(), async ({ tree, failing, concurrency }, s) => {
        const { execute, state } = observedExecutor(s, failing);
        const result = await s.waitFor(runTaskTree(tree, execute, { concurrency, failurePolicy: 'continue' as FailurePolicy }));
        expect(state.violations).toEqual([]);
        expect(state.maxInFlight).toBeLessThanOrEqual(concurrency);
        for (const task of tree.tasks) {
          const outcome = result.tasks[task.id]!;
          const lineage = selfAndAncestors(tree.tasks, task.id);
          const failedAncestors = [...lineage].filter((id) => id !== task.id && failing.has(id));
          if (failedAncestors.length > 0) {
            expect(outcome.status).toBe('skipped');
            expect(outcome.reason).toMatch(/"(t\d+)" failed$/);
            expect(failing.has(/"(t\d+)" failed$/.exec(outcome.reason!)![1]!)).toBe(true);
          } else expect(outcome.status).toBe(failing.has(task.id) ? 'failed' : 'completed');
        }
      }),
    );
  });

  it('fail-fast: at most one task fails, it is the one named, and no task is left without a final status', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.scheduler(), async ({ tree, failing, concurrency }, s) => {
        const { execute, state } = observedExecutor(s, failing);
        const result = await s.waitFor(runTaskTree(tree, execute, { concurrency }));
        expect(state.maxInFlight).toBeLessThanOrEqual(concurrency);
        const failed = Object.values(result.tasks).filter((t) => t.status === 'failed');
        expect(failed.length).toBeLessThanOrEqual(1);
        if (failed.length === 1) {
          expect(result.stoppedBy).toMatchObject({ kind: 'failure', taskId: failed[0]!.taskId });
          expect(failing.has(failed[0]!.taskId)).toBe(true);
        } else expect(result.status).toBe('completed');
        const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
        expect(total).toBe(tree.tasks.length);
      }),
    );
  });
});
