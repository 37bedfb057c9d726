import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineTool } from '../../src/tools/define-tool.js';
import type { Step } from '../../src/workflow/types.js';
import type { WorkCall } from '../orchestrate/script.js';
import { node, statuses, task, team, worker, workflow } from './harness.js';

// Cancellation: WCP-19 Cancel Task / WCP-25 Cancel Region, WCP-20 Cancel Case (with compensation), and a
// failing parallel branch (fail-fast).

describe('workflow patterns: cancellation', () => {
  it('WCP-19 Cancel Task / WCP-25 Cancel Region: a cancel from a parallel branch aborts the region’s task in flight; its later steps never run; the flow goes on', async () => {
    const t = team({ work: worker({ long: 1_000, watch: 50, after: 10 }) });
    const result = await t.run(
      workflow([
        {
          parallel: [
            { id: 'work', region: [task('long'), task('next')] },
            { sequence: [task('watch'), { id: 'stop', cancel: 'work', when: 'outputs.watch contains "watch"' }] },
          ],
        },
        task('after'),
      ]),
    );
    expect(result.stoppedBy).toBeUndefined();
    expect(statuses(result)).toEqual([
      ['long', 'cancelled'],
      ['watch', 'completed'],
      ['after', 'completed'],
    ]);
    expect(t.stamps.find((s) => s.type === 'task.cancelled')).toEqual({ type: 'task.cancelled', taskId: 'long', at: 50 });
    expect(node(result, 'long').reason).toContain('region "work" cancelled by step "stop"');
    expect(t.calls.some((c) => c.title === 'next')).toBe(false);
    // The flow continues after the join, as soon as the cancelled region and the other branch ended.
    expect(t.start('after')).toBe(50);
    expect(t.stepEvents().some((e) => e.step === 'work' && e.phase === 'cancelled')).toBe(true);
  });

  it('WCP-25 Cancel Region: a cancel whose condition does not hold leaves the region to finish', async () => {
    const t = team({ work: worker({ long: 1_000, watch: 50 }) });
    const result = await t.run(
      workflow([
        {
          parallel: [
            { id: 'work', region: [task('long'), task('next')] },
            { sequence: [task('watch'), { cancel: 'work', when: 'outputs.watch contains "fire"' }] },
          ],
        },
      ]),
    );
    expect(statuses(result)).toEqual([
      ['long', 'completed'],
      ['watch', 'completed'],
      ['next', 'completed'],
    ]);
  });

  it('WCP-20 Cancel Case: the whole run ends cancelled, tasks in flight are cancelled, completed tasks are compensated', async () => {
    const undone: string[] = [];
    const cancel = defineTool({
      name: 'cancel',
      description: 'Cancels a booking',
      input: z.object({ what: z.string() }),
      sideEffects: true,
      execute: ({ what }) => {
        undone.push(what);
        return `cancelled ${what}`;
      },
    });
    const t = team({ work: worker({ hotel: 10, flight: 20, payment: 1_000, check: 100 }, (call: WorkCall) => (call.title === 'check' ? 'card declined' : `out:${call.title}`)) }, { tools: [cancel] });
    const steps: Step[] = [
      task('hotel', { compensate: { tool: 'cancel', input: { what: 'hotel' } } }),
      task('flight', { compensate: { tool: 'cancel', input: { what: 'flight' } } }),
      {
        parallel: [task('payment'), { sequence: [task('check'), { id: 'abort', cancel: 'case', when: 'outputs.check contains "declined"' }] }],
      },
      task('confirm'),
    ];
    const result = await t.run(workflow(steps, 'Book the trip'));
    expect(result.stoppedBy).toMatchObject({ kind: 'cancelled', detail: expect.stringContaining('cancelled by step "abort"') });
    expect(statuses(result)).toEqual([
      ['hotel', 'completed'],
      ['flight', 'completed'],
      ['payment', 'cancelled'],
      ['check', 'completed'],
    ]);
    expect(t.calls.some((c) => c.title === 'confirm')).toBe(false);
    // Compensation: the completed tasks that declare one, newest first.
    expect(result.compensations?.map((c) => [c.taskId, c.status])).toEqual([
      ['flight', 'completed'],
      ['hotel', 'completed'],
    ]);
    expect(undone).toEqual(['flight', 'hotel']);
  });

  it('a failing task in a parallel branch fails the run (stoppedBy failure) and cancels its sibling in flight', async () => {
    const t = team({
      work: (call) => {
        if (call.title === 'broken') throw new Error('the source is down');
        return { text: `out:${call.title}`, latencyMs: call.title === 'slow' ? 1_000 : 50 };
      },
    });
    const result = await t.run(workflow([{ parallel: [task('slow'), { sequence: [task('ok'), task('broken')] }] }, task('after')]));
    expect(result.stoppedBy).toMatchObject({ kind: 'failure', taskId: 'broken' });
    expect(statuses(result)).toEqual([
      ['slow', 'cancelled'],
      ['ok', 'completed'],
      ['broken', 'failed'],
    ]);
    expect(node(result, 'broken').error?.message).toContain('the source is down');
    expect(t.calls.some((c) => c.title === 'after')).toBe(false);
    expect(t.clock.now()).toBeLessThan(1_000);
  });
});
