import { describe, expect, it } from 'vitest';
import { testTree } from '../../test/scheduler/tree.js';
import { InvalidTaskGraphError } from './errors.js';
import { compileTaskGraph } from './task-graph.js';

describe('compileTaskGraph', () => {
  it('indexes dependencies and dependents as adjacency lists', () => {
    const graph = compileTaskGraph(testTree([{ id: 'a' }, { id: 'b', deps: ['a'] }, { id: 'c', deps: ['a', 'b'] }]));
    const depsOf = (i: number) => [...graph.dependencies.subarray(graph.dependencyStart[i], graph.dependencyStart[i + 1])];
    const dependentsOf = (i: number) => [...graph.dependents.subarray(graph.dependentStart[i], graph.dependentStart[i + 1])];
    expect(depsOf(2)).toEqual([0, 1]);
    expect(dependentsOf(0)).toEqual([1, 2]);
    expect([...graph.remainingPath]).toEqual([3, 2, 1]);
  });

  it('ranks ids in code-unit order for the final tie-break', () => {
    const graph = compileTaskGraph(testTree([{ id: 'b' }, { id: 'B' }, { id: 'a' }]));
    expect([...graph.idRank]).toEqual([2, 0, 1]);
  });

  it('rejects a duplicate id', () => {
    expect(() => compileTaskGraph(testTree([{ id: 'a' }, { id: 'a' }]))).toThrow(/tasks\[1\]\.id: duplicate task id "a"/);
  });

  it('rejects an unknown dependency, naming the task and the missing id', () => {
    expect(() => compileTaskGraph(testTree([{ id: 'a', deps: ['ghost'] }]))).toThrow(
      new InvalidTaskGraphError('task "a".dependsOn: unknown task "ghost"'),
    );
  });

  it('rejects a cycle, naming tasks on it', () => {
    const tree = testTree([{ id: 'ok' }]);
    const cyclic = {
      ...tree,
      tasks: [
        { ...tree.tasks[0]!, id: 'x', dependsOn: ['y'] },
        { ...tree.tasks[0]!, id: 'y', dependsOn: ['x'] },
      ],
      analysis: { ...tree.analysis, remainingPath: { x: 1, y: 1 } },
    };
    expect(() => compileTaskGraph(cyclic)).toThrow(/dependency cycle: tasks "x", "y"/);
  });

  it('keeps the dependencies the reduction dropped as inputs only, and rejects unknown ones', () => {
    const tree = { ...testTree([{ id: 'a' }, { id: 'b', deps: ['a'] }, { id: 'c', deps: ['b'] }]), droppedEdges: [['c', 'a']] as const };
    const graph = compileTaskGraph(tree);
    expect(graph.indirectInputs.get(2)).toEqual([0]);
    expect(graph.dependencyStart[3]! - graph.dependencyStart[2]!).toBe(1); // readiness still waits on b only
    expect(() => compileTaskGraph({ ...tree, droppedEdges: [['c', 'zz']] })).toThrow(new InvalidTaskGraphError('droppedEdges[0]: unknown task "zz"'));
  });

  it('rejects a task without a remaining path', () => {
    const tree = testTree([{ id: 'a' }, { id: 'b' }]);
    const broken = { ...tree, analysis: { ...tree.analysis, remainingPath: { a: 1 } } };
    expect(() => compileTaskGraph(broken)).toThrow(/analysis.remainingPath\["b"\]: expected a finite number, got undefined/);
  });
});
