import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { resumeRun } from '../../src/api/resume.js';
import { memoryRunStore } from '../../src/store/memory-run-store.js';
import { defineTool } from '../../src/tools/define-tool.js';
import { systemClock } from '../../src/util/clock.js';
import { scripted } from '../orchestrate/helpers.js';

/** A plan whose three bookings complete one after another, then the payment fails. */
const PLAN = {
  goal: 'Book the trip',
  tasks: [
    { id: 'flight', title: 'Do flight', instructions: 'Book a flight', compensate: { tool: 'cancel', input: { what: 'flight' } } },
    { id: 'hotel', title: 'Do hotel', instructions: 'Book a hotel', dependsOn: ['flight'], compensate: { tool: 'cancel', input: { what: 'hotel' } } },
    { id: 'note', title: 'Do note', instructions: 'Write a note', dependsOn: ['hotel'] },
    { id: 'car', title: 'Do car', instructions: 'Book a car', dependsOn: ['note'], compensate: { agent: 'cy', prompt: 'Cancel the car booking.' } },
    { id: 'pay', title: 'Do pay', instructions: 'Pay', dependsOn: ['car'] },
  ],
};

function cancelTool(calls: { what: string; key: string | undefined }[]) {
  return defineTool({
    name: 'cancel',
    description: 'Cancels a booking',
    input: z.object({ what: z.string() }),
    sideEffects: true,
    execute: ({ what }, context) => {
      calls.push({ what, key: context.idempotencyKey });
      return `cancelled ${what}`;
    },
  });
}

const failPay = ({ agent, title }: { agent: string; title: string }) => {
  if (title === 'Do pay') throw new Error('card declined');
  return `${agent} did ${title}.`;
};

describe('durable runs: compensation (saga)', () => {
  it('a failed run compensates its completed tasks in reverse completion order, tools and agents, and lists them', async () => {
    const calls: { what: string; key: string | undefined }[] = [];
    const store = memoryRunStore();
    const { options, events } = scripted({ plans: {}, work: failPay }, { durable: store, runId: 'run_trip', plan: PLAN, tools: [cancelTool(calls)], clock: systemClock() });
    const result = await orchestrate('Book the trip', options);
    expect(result.stoppedBy).toMatchObject({ kind: 'failure', taskId: 'pay' });
    expect(result.compensations).toEqual([
      { taskId: 'car', path: '', status: 'completed', output: 'cy did .' },
      { taskId: 'hotel', path: '', status: 'completed', output: 'cancelled hotel' },
      { taskId: 'flight', path: '', status: 'completed', output: 'cancelled flight' },
    ]);
    expect(calls).toEqual([
      { what: 'hotel', key: 'run_trip:compensate:hotel' },
      { what: 'flight', key: 'run_trip:compensate:flight' },
    ]);
    expect(events.filter((e) => e.type === 'compensation.completed').map((e) => (e as { taskId: string }).taskId)).toEqual(['car', 'hotel', 'flight']);
    expect((await store.getRun('run_trip'))?.status).toBe('failed');

    // Journaled: resuming the failed run does not compensate again.
    const again = scripted({ plans: {}, work: failPay }, { durable: store, tools: [cancelTool(calls)], clock: systemClock() });
    const resumed = await resumeRun('run_trip', again.options);
    expect(resumed.compensations?.map((c) => c.taskId)).toEqual(['car', 'hotel', 'flight']);
    expect(calls).toHaveLength(2);
    expect(again.provider.requests).toHaveLength(0);
  });

  it('a cancelled run compensates what completed; a compensation that fails is reported and the rest still run', async () => {
    const calls: { what: string; key: string | undefined }[] = [];
    const controller = new AbortController();
    const flaky = defineTool({
      name: 'cancel',
      description: 'Cancels a booking',
      input: z.object({ what: z.string() }),
      execute: ({ what }, context) => {
        if (what === 'hotel') throw new Error('hotel desk closed');
        calls.push({ what, key: context.idempotencyKey });
        return `cancelled ${what}`;
      },
    });
    const work = ({ agent, title }: { agent: string; title: string }) => {
      if (title === 'Do note') controller.abort('user cancelled');
      return `${agent} did ${title}.`;
    };
    const { options } = scripted({ plans: {}, work }, { plan: PLAN, tools: [flaky], signal: controller.signal });
    const result = await orchestrate('Book the trip', options);
    expect(result.stoppedBy?.kind).toBe('cancelled');
    expect(result.compensations).toEqual([
      { taskId: 'hotel', path: '', status: 'failed', error: 'hotel desk closed' },
      { taskId: 'flight', path: '', status: 'completed', output: 'cancelled flight' },
    ]);
    // Not durable: no journal, so no idempotency key beyond the run id.
    expect(calls[0]!.what).toBe('flight');
  });

  it('a run that completes compensates nothing', async () => {
    const calls: { what: string; key: string | undefined }[] = [];
    const { options } = scripted({ plans: {} }, { plan: PLAN, tools: [cancelTool(calls)] });
    const result = await orchestrate('Book the trip', options);
    expect(result.compensations).toBeUndefined();
    expect(calls).toEqual([]);
  });
});

describe('durable runs: compensation is checked before the run', () => {
  it('a compensating tool the runtime lacks is a ConfigError naming the task, before any call', async () => {
    const { options, provider } = scripted({ plans: {} }, { plan: PLAN });
    await expect(orchestrate('Book the trip', options)).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
      message: expect.stringContaining('plan task "flight" compensates with tool "cancel", which the runtime does not have'),
    });
    expect(provider.requests).toHaveLength(0);
  });
});
