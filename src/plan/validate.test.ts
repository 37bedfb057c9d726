import { describe, expect, it } from 'vitest';
import { planOf, task } from '../../test/plan/plan-builder.js';
import { validatePlan } from './validate.js';

function problemsOf(result: ReturnType<typeof validatePlan>) {
  if (result.ok) throw new Error('expected the plan to be invalid');
  return result.problems;
}

describe('validatePlan', () => {
  it('accepts a valid DAG and returns a topological order', () => {
    const result = validatePlan(planOf({ c: ['a', 'b'], a: [], b: ['a'] }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.order.map((i) => result.plan.graph.ids[i])).toEqual(['a', 'b', 'c']);
  });

  it('names a cycle in dependency order, closed on its first task', () => {
    const problems = problemsOf(validatePlan(planOf({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] })));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'cycle', taskId: 'a', path: ['tasks', 0, 'dependsOn'] });
    expect(problems[0]!.message).toContain('a → b → c → a');
  });

  it('reports one cycle per strongly connected component, each the shortest through its first task', () => {
    const problems = problemsOf(
      validatePlan(planOf({ x: ['y'], y: ['x', 'z'], z: ['x'], p: ['q'], q: ['p'], free: [] })),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'dependency cycle: x → y → x (each task depends on the next)',
      'dependency cycle: p → q → p (each task depends on the next)',
    ]);
  });

  it('names the task and the missing id of an unknown dependency, with the nearest id', () => {
    const problems = problemsOf(validatePlan(planOf({ research: [], write: ['reserch'] })));
    expect(problems).toEqual([
      {
        kind: 'unknown-dependency',
        taskId: 'write',
        path: ['tasks', 1, 'dependsOn', 0],
        message: 'task "write" depends on unknown task "reserch"; did you mean "research"?',
      },
    ]);
  });

  it('rejects a self-dependency without also calling it a cycle', () => {
    const problems = problemsOf(validatePlan(planOf({ a: ['a'] })));
    expect(problems.map((p) => [p.kind, p.message])).toEqual([['self-dependency', 'task "a" depends on itself']]);
  });

  it('names a duplicate id and both places that use it', () => {
    const spec = { goal: 'g', tasks: [task('a'), task('b'), task('a', ['b'])] };
    const duplicate = problemsOf(validatePlan(spec));
    expect(duplicate).toEqual([
      { kind: 'duplicate-id', taskId: 'a', path: ['tasks', 2, 'id'], message: 'duplicate task id "a": tasks[0] and tasks[2] both use it' },
    ]);
  });

  it('ignores a dependency listed twice', () => {
    const result = validatePlan({ goal: 'g', tasks: [task('a'), task('b', ['a', 'a'])] });
    expect(result.ok && result.plan.graph.deps[1]).toEqual([0]);
  });

  it('names the task, the unknown capability and the nearest known one', () => {
    const spec = { goal: 'g', tasks: [task('draft', [], { capabilities: ['writing', 'reserch'] })] };
    const problems = problemsOf(validatePlan(spec, { knownCapabilities: ['research', 'writing', 'coding'] }));
    expect(problems).toEqual([
      {
        kind: 'unknown-capability',
        taskId: 'draft',
        path: ['tasks', 0, 'capabilities', 1],
        message: 'task "draft" needs capability "reserch", which no agent has; nearest known capability: "research"',
      },
    ]);
  });

  it('checks capabilities only when the known ones are given', () => {
    const spec = { goal: 'g', tasks: [task('draft', [], { capabilities: ['anything'] })] };
    expect(validatePlan(spec).ok).toBe(true);
  });

  it('rejects a task pinned to an unknown agent', () => {
    const spec = { goal: 'g', tasks: [task('a', [], { agent: 'writter' })] };
    const problems = problemsOf(validatePlan(spec, { knownAgents: ['writer', 'researcher'] }));
    expect(problems[0]).toMatchObject({ kind: 'unknown-agent', message: expect.stringContaining('nearest: "writer"') });
  });

  it('bounds the depth and names the longest chain', () => {
    const spec = planOf({ a: [], b: ['a'], c: ['b'], d: ['c'], side: ['a'] });
    expect(validatePlan(spec, { maxDepth: 4 }).ok).toBe(true);
    const problems = problemsOf(validatePlan(spec, { maxDepth: 3 }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.kind).toBe('too-deep');
    expect(problems[0]!.message).toMatch(/^the plan is 4 tasks deep \(a → b → c → d\); the limit is 3/);
  });

  it('bounds the breadth of every layer and names the crowded layer', () => {
    const spec = planOf({ a: [], b: [], c: ['a'], d: ['a'], e: ['a'], f: ['b'] });
    expect(validatePlan(spec, { maxBreadth: 4 }).ok).toBe(true);
    const problems = problemsOf(validatePlan(spec, { maxBreadth: 3 }));
    expect(problems.map((p) => p.kind)).toEqual(['too-broad']);
    expect(problems[0]!.message).toMatch(/^4 tasks sit at the same dependency level \(layer 1: c, d, e, f\); the limit is 3/);
  });

  it('bounds the number of tasks', () => {
    const problems = problemsOf(validatePlan(planOf({ a: [], b: [], c: [] }), { maxTasks: 2 }));
    expect(problems[0]).toMatchObject({ kind: 'too-many-tasks', message: expect.stringMatching(/has 3 tasks; the limit is 2/) });
  });

  it('reports every problem at once', () => {
    const spec = { goal: 'g', tasks: [task('a', ['b', 'ghost']), task('b', ['a'], { capabilities: ['x'] }), task('a')] };
    const problems = problemsOf(validatePlan(spec, { knownCapabilities: ['y'], maxTasks: 2 }));
    expect(problems.map((p) => p.kind).sort()).toEqual(['cycle', 'duplicate-id', 'too-many-tasks', 'unknown-capability', 'unknown-dependency']);
  });
});

describe('validatePlan capability names', () => {
  it('treats spelling variants of one capability as the same, as the agent matcher does', () => {
    const spec = { goal: 'g', tasks: [task('a', [], { capabilities: ['Code_Review', 'data analysis'] })] };
    expect(validatePlan(spec, { knownCapabilities: ['code-review', 'data-analysis'] }).ok).toBe(true);
  });

  it('abbreviates a very long cycle but still names where it starts and closes', () => {
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < 30; i++) edges[`t${i}`] = [`t${(i + 1) % 30}`];
    const result = validatePlan(planOf(edges));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]!.message).toMatch(/^dependency cycle: t0 → t1 → .* → … → t29 → t0 \(each task depends on the next; 30 tasks\)$/);
  });
});
