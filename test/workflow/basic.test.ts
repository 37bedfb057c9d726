import { describe, expect, it } from 'vitest';
import { statuses, task, team, worker, workflow } from './harness.js';

// Basic control-flow patterns (Russell, ter Hofstede, van der Aalst & Mulyar 2006): WCP-1 to WCP-3, WCP-8.

describe('workflow patterns: basic control flow', () => {
  it('WCP-1 Sequence: each task starts after the one before completed and reads its output', async () => {
    const t = team({ work: worker({ a: 30, b: 20, c: 10 }) });
    const result = await t.run(workflow([task('a'), task('b'), task('c')]));
    expect(statuses(result)).toEqual([
      ['a', 'completed'],
      ['b', 'completed'],
      ['c', 'completed'],
    ]);
    expect(t.start('b')).toBe(t.end('a'));
    expect(t.start('c')).toBe(t.end('b'));
    expect(t.end('c')).toBe(60);
    // Default inputs: the step before, and only it.
    expect(t.prompt('b')).toContain('out:a');
    expect(t.prompt('c')).toContain('out:b');
    expect(t.prompt('c')).not.toContain('out:a');
  });

  it('WCP-2 Parallel Split: the branches start together when the step before completes and run at the same time', async () => {
    const t = team({ work: worker({ a: 10, b: 100, c: 100, d: 100 }) });
    const result = await t.run(workflow([task('a'), { parallel: [task('b'), task('c'), task('d')] }]));
    expect(statuses(result).map(([id, s]) => `${id}:${s}`).sort()).toEqual(['a:completed', 'b:completed', 'c:completed', 'd:completed']);
    expect(result.tree.tasks[0]!.id).toBe('a');
    for (const id of ['b', 'c', 'd']) {
      expect(t.start(id)).toBe(10);
      expect(t.end(id)).toBe(110);
      expect(t.prompt(id)).toContain('out:a');
    }
    expect(t.maxInFlight()).toBe(3);
  });

  it('WCP-3 Synchronization: the task after the AND-join starts when the last branch completes, with every branch output as input', async () => {
    const t = team({ work: worker({ b: 50, c: 200, d: 10 }) });
    const result = await t.run(workflow([{ parallel: [task('b'), task('c')] }, task('d')]));
    expect(statuses(result)).toEqual([
      ['b', 'completed'],
      ['c', 'completed'],
      ['d', 'completed'],
    ]);
    expect(t.end('b')).toBe(50);
    expect(t.end('c')).toBe(200);
    // Not after the first branch: after both.
    expect(t.start('d')).toBe(200);
    expect(t.prompt('d')).toContain('out:b');
    expect(t.prompt('d')).toContain('out:c');
  });

  it('WCP-8 Multi-Merge: the `then` steps run once per branch, each as soon as its branch completes, with that branch output', async () => {
    const t = team({ work: worker({ b: 50, c: 200, notify: 10 }) });
    const result = await t.run(workflow([{ merge: { branches: [task('b'), task('c')], then: [task('notify')] } }, task('after')]));
    expect(statuses(result)).toEqual([
      ['b', 'completed'],
      ['c', 'completed'],
      ['notify', 'completed'],
      ['notify#2', 'completed'],
      ['after', 'completed'],
    ]);
    // The first `then` does not wait for the other branch.
    expect(t.start('notify')).toBe(50);
    expect(t.start('notify#2')).toBe(200);
    const notifies = t.calls.filter((c) => c.title === 'notify');
    expect(notifies).toHaveLength(2);
    expect(notifies[0]!.prompt).toContain('out:b');
    expect(notifies[0]!.prompt).not.toContain('out:c');
    expect(notifies[1]!.prompt).toContain('out:c');
    expect(notifies[1]!.prompt).not.toContain('out:b');
    // The merge ends when every branch and its `then` did.
    expect(t.start('after')).toBe(t.end('notify#2'));
  });
});
