import { describe, expect, it } from 'vitest';
import { planOf } from '../../test/plan/plan-builder.js';
import { buildTaskTree } from './tree.js';

describe('plan analysis', () => {
  // a(2) ─► b(3) ─► d(4) ─► f(2)        g(5) stands alone
  //    └──► c(1) ─► e(1) ──┘  (e also depends on b)
  const spec = planOf(
    { a: [], b: ['a'], c: ['a'], d: ['b'], e: ['b', 'c'], f: ['d', 'e'], g: [] },
    { a: 2, b: 3, c: 1, d: 4, e: 1, f: 2, g: 5 },
  );

  it('layers tasks by their longest dependency chain', () => {
    const { analysis } = buildTaskTree(spec);
    expect(analysis.layers).toEqual([['a', 'g'], ['b', 'c'], ['d', 'e'], ['f']]);
    expect(analysis.parallelismProfile).toEqual([2, 2, 2, 1]);
    expect(analysis.maxParallelism).toBe(2);
  });

  it('finds the critical path by effort, not by task count', () => {
    const { analysis } = buildTaskTree(spec);
    expect(analysis.criticalPath).toEqual(['a', 'b', 'd', 'f']);
    expect(analysis.criticalPathEffort).toBe(11);
    expect(analysis.totalEffort).toBe(18);
  });

  it('gives each task the effort of the longest path from it to the end, itself included', () => {
    const { analysis } = buildTaskTree(spec);
    expect(analysis.remainingPath).toEqual({ a: 11, b: 9, c: 4, d: 6, e: 3, f: 2, g: 5 });
  });

  it('lets a heavy lone task be the critical path', () => {
    const heavy = planOf({ a: [], b: ['a'], solo: [] }, { a: 1, b: 1, solo: 7 });
    expect(buildTaskTree(heavy).analysis.criticalPath).toEqual(['solo']);
  });

  it('breaks ties by topological order, which follows the written order', () => {
    const xFirst = buildTaskTree(planOf({ s: [], x: ['s'], y: ['s'], t: ['x', 'y'] }));
    const yFirst = buildTaskTree(planOf({ s: [], y: ['s'], x: ['s'], t: ['x', 'y'] }));
    expect(xFirst.analysis.criticalPath).toEqual(['s', 'x', 't']);
    expect(yFirst.analysis.criticalPath).toEqual(['s', 'y', 't']);
  });

  it('is unaffected by redundant edges', () => {
    const redundant = planOf(
      { a: [], b: ['a'], c: ['a'], d: ['b', 'a'], e: ['b', 'c', 'a'], f: ['d', 'e', 'b', 'a'], g: [] },
      { a: 2, b: 3, c: 1, d: 4, e: 1, f: 2, g: 5 },
    );
    const tree = buildTaskTree(redundant);
    expect(tree.analysis).toEqual(buildTaskTree(spec).analysis);
  });
});
