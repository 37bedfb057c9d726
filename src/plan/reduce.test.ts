import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topologicalOrder } from './graph.js';
import { transitiveReduction } from './reduce.js';

/** Dependencies by index from `{ task: [deps] }` over ids `a`, `b`, ... in key order. */
function indexed(edges: Record<string, string[]>) {
  const ids = Object.keys(edges);
  const deps = ids.map((id) => edges[id]!.map((dep) => ids.indexOf(dep)));
  return { ids, deps, order: topologicalOrder(deps).order };
}

/** Every ancestor of every task, by plain depth-first search (the slow, obvious way). */
function reachability(deps: readonly (readonly number[])[]): Set<number>[] {
  return deps.map((_, start) => {
    const seen = new Set<number>();
    const stack = [...deps[start]!];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...deps[next]!);
    }
    return seen;
  });
}

describe('transitiveReduction', () => {
  it('drops exactly the edges implied by a longer path', () => {
    const { ids, deps, order } = indexed({
      a: [],
      b: ['a'],
      c: ['b', 'a'], // a is implied by b
      d: ['c', 'a', 'b'], // a and b are implied by c
      e: ['a'],
      f: ['e', 'd'],
    });
    const reduced = transitiveReduction(deps, order);
    const named = (list: number[]) => list.map((i) => ids[i]);
    expect(reduced.deps.map(named)).toEqual([[], ['a'], ['b'], ['c'], ['a'], ['e', 'd']]);
    expect(reduced.dropped.map(([t, d]) => [ids[t], ids[d]])).toEqual([
      ['c', 'a'],
      ['d', 'b'],
      ['d', 'a'],
    ]);
  });

  it('keeps every edge of a graph that has no redundant one (a diamond)', () => {
    const { deps, order } = indexed({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });
    const reduced = transitiveReduction(deps, order);
    expect(reduced.dropped).toEqual([]);
    expect(reduced.deps).toEqual(deps);
  });

  it('works across bitset word boundaries (a chain of 70 with shortcuts)', () => {
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < 70; i++) edges[`t${i}`] = i === 0 ? [] : [`t${i - 1}`, ...(i >= 40 ? ['t0', `t${i - 35}`] : [])];
    const { deps, order } = indexed(edges);
    const reduced = transitiveReduction(deps, order);
    expect(reduced.dropped).toHaveLength(60);
    expect(reduced.deps.every((list, i) => list.length === (i === 0 ? 0 : 1))).toBe(true);
  });

  // Random DAGs: edges only from a higher to a lower index, so every graph is acyclic.
  const dags = fc
    .integer({ min: 1, max: 40 })
    .chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 4 }),
      ),
    )
    .map(([n, pairs]) => {
      const deps: number[][] = Array.from({ length: n }, () => []);
      for (const [x, y] of pairs) if (x !== y && !deps[Math.max(x, y)]!.includes(Math.min(x, y))) deps[Math.max(x, y)]!.push(Math.min(x, y));
      return deps;
    });

  it('leaves reachability unchanged (property)', () => {
    fc.assert(
      fc.property(dags, (deps) => {
        const reduced = transitiveReduction(deps, topologicalOrder(deps).order);
        expect(reachability(reduced.deps)).toEqual(reachability(deps));
      }),
    );
  });

  it('keeps no edge that the other kept edges imply (property)', () => {
    fc.assert(
      fc.property(dags, (deps) => {
        const reduced = transitiveReduction(deps, topologicalOrder(deps).order);
        reduced.deps.forEach((list, task) => {
          for (const dep of list) {
            const without = reduced.deps.map((l, i) => (i === task ? l.filter((d) => d !== dep) : l));
            expect(reachability(without)[task]!.has(dep)).toBe(false);
          }
        });
      }),
    );
  });

  it('reports as dropped exactly the edges it removed (property)', () => {
    fc.assert(
      fc.property(dags, (deps) => {
        const reduced = transitiveReduction(deps, topologicalOrder(deps).order);
        const removed = deps.flatMap((list, task) => list.filter((dep) => !reduced.deps[task]!.includes(dep)).map((dep) => `${task}>${dep}`));
        expect(reduced.dropped.map(([t, d]) => `${t}>${d}`).sort()).toEqual(removed.sort());
      }),
    );
  });
});
