import { describe, expect, it } from 'vitest';
import { node, statuses, task, team, worker, workflow } from './harness.js';

// WCP-9 Structured Discriminator: the first branch to complete continues the flow.

describe('workflow patterns: discriminator', () => {
  it('WCP-9 Structured Discriminator (rest: cancel): the first branch continues the flow at once, the others are cancelled', async () => {
    const t = team({ work: worker({ fast: 50, slow: 500, after: 10 }) });
    const result = await t.run(workflow([{ id: 'pick', first: { branches: [task('slow'), task('fast')], rest: 'cancel' } }, task('after')]));
    expect(result.stoppedBy).toBeUndefined();
    expect(statuses(result)).toEqual([
      ['slow', 'cancelled'],
      ['fast', 'completed'],
      ['after', 'completed'],
    ]);
    expect(t.stamps.find((s) => s.type === 'task.cancelled')).toEqual({ type: 'task.cancelled', taskId: 'slow', at: 50 });
    expect(t.start('after')).toBe(50);
    expect(t.prompt('after')).toContain('out:fast');
    expect(t.prompt('after')).not.toContain('out:slow');
    expect(t.clock.now()).toBeLessThan(500);
  });

  it('WCP-9 Structured Discriminator (rest: ignore): the flow goes on after the first branch; the others finish, unused', async () => {
    const t = team({ work: worker({ fast: 50, slow: 500, after: 10 }) });
    const result = await t.run(workflow([{ first: { branches: [task('slow'), task('fast')], rest: 'ignore' } }, task('after')]));
    expect(result.stoppedBy).toBeUndefined();
    expect(statuses(result)).toEqual([
      ['slow', 'completed'],
      ['fast', 'completed'],
      ['after', 'completed'],
    ]);
    // `after` did not wait for the slow branch, which still ran to its end.
    expect(t.start('after')).toBe(50);
    expect(t.end('after')).toBe(60);
    expect(t.end('slow')).toBe(500);
    expect(node(result, 'slow').output).toBe('out:slow');
    expect(t.prompt('after')).toContain('out:fast');
    expect(t.prompt('after')).not.toContain('out:slow');
    expect(t.stamps.some((s) => s.type === 'task.cancelled')).toBe(false);
  });
});
