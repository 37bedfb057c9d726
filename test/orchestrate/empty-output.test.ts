import { describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { systemClock } from '../../src/util/clock.js';
import { scripted } from './helpers.js';
import { firstUserText, kindOf } from './script.js';

describe('orchestrate: an agent whose final answer is empty', () => {
  it('fails the task (after its retries) instead of completing it, and the synthesis does not cite it', async () => {
    const { options, provider, events } = scripted(
      {
        plans: { bikes: [{ id: 'motors' }, { id: 'frames' }, { id: 'gears' }] },
        work: ({ agent, title }) => (title === 'Do motors' ? ' \n ' : `${agent} did ${title}.`),
      },
      { failurePolicy: 'continue', clock: systemClock(), retry: { maxAttempts: 2, baseDelayMs: 1, jitter: 0 } },
    );

    const result = await orchestrate('Write about bikes', options);

    const motors = result.tree.tasks.find((t) => t.id === 'motors')!;
    expect(motors.status).toBe('failed');
    expect(motors.error).toMatchObject({ code: 'MODEL_EMPTY_OUTPUT' });
    expect(motors.error!.message).toMatch(/agent "\w+" \(task motors\) gave an empty final answer/);
    // A failure like any other: retried, then failed.
    const failures = events.filter((e) => e.type === 'task.failed' && e.taskId === 'motors');
    expect(failures.map((e) => (e as { willRetry: boolean }).willRetry)).toEqual([true, false]);
    expect(result.tree.tasks.filter((t) => t.status === 'completed').map((t) => t.id)).toEqual(['frames', 'gears']);

    const synthesizer = firstUserText(provider.requests.find((r) => kindOf(r) === 'synthesizer')!);
    expect(synthesizer).not.toContain('<result id="motors"');
    expect(result.tree.synthesis!.citations.flatMap((c) => c.taskIds)).toEqual(['frames', 'gears']);
  });
});
