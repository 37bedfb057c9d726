import { describe, expect, it } from 'vitest';
import { planOf, task } from '../../test/plan/plan-builder.js';
import { PlanValidationError } from './errors.js';
import { buildTaskTree } from './tree.js';

describe('buildTaskTree', () => {
  it('orders tasks topologically: each task as early as its dependencies allow, ties in written order', () => {
    const tree = buildTaskTree(planOf({ report: ['data', 'survey'], data: [], survey: [], intro: [] }));
    expect(tree.tasks.map((t) => t.id)).toEqual(['data', 'survey', 'report', 'intro']);
  });

  it('keeps only the needed dependencies and lists the dropped ones', () => {
    const tree = buildTaskTree(planOf({ a: [], b: ['a'], c: ['a', 'b'] }));
    expect(tree.tasks.find((t) => t.id === 'c')!.dependsOn).toEqual(['b']);
    expect(tree.droppedEdges).toEqual([['c', 'a']]);
  });

  it('fills defaults for fields the plan leaves out', () => {
    const tree = buildTaskTree({ goal: 'g', tasks: [{ id: 'only', title: 'Only', instructions: 'Do it' }] });
    expect(tree.tasks[0]).toMatchObject({ capabilities: [], dependsOn: [], priority: 'medium', effort: 1, decomposable: false });
  });

  it('throws PlanValidationError with a stable code and every problem', () => {
    let caught: unknown;
    try {
      buildTaskTree(planOf({ a: ['b'], b: ['a'], c: ['nope'] }));
    } catch (error) {
      caught = error;
    }
    expect(PlanValidationError.isInstance(caught)).toBe(true);
    const error = caught as PlanValidationError;
    expect(error.code).toBe('PLAN_INVALID');
    expect(error.problems.map((p) => p.kind)).toEqual(['unknown-dependency', 'cycle']);
    expect(error.message).toContain('a → b → a');
    expect(error.message).toContain('task "c" depends on unknown task "nope"');
  });

  it('names the task and field of a shape error', () => {
    const bad = { goal: 'g', tasks: [task('a'), { ...task('b'), effort: -1 }] };
    expect(() => buildTaskTree(bad)).toThrow(/tasks\[1\] \(task "b"\) field "effort"/);
  });
});
