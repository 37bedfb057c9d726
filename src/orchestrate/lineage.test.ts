import { describe, expect, it } from 'vitest';
import { createEventBus } from '../events/bus.js';
import { manualClock } from '../util/clock.js';
import { testTree } from '../../test/scheduler/tree.js';
import {
  digestOf,
  InvalidLineageError,
  LINEAGE_SCHEMA_VERSION,
  parseRunLineage,
  recordModelCalls,
  scheduleLineage,
  taskLineage,
  withChildRun,
  type ModelCallRecord,
} from './lineage.js';
import { runTaskTree } from '../scheduler/index.js';

const call = (callId: string, inputTokens: number, costUsd: number): ModelCallRecord => ({
  callId,
  provider: 'scripted',
  model: 'm',
  usage: { inputTokens, outputTokens: 1 },
  costUsd,
});

describe('digestOf', () => {
  it('is short, stable, and ignores object key order', () => {
    expect(digestOf({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(digestOf({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(digestOf('hello')).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('tells different content apart, including a string from its JSON', () => {
    expect(digestOf('hello')).not.toBe(digestOf('hello!'));
    expect(digestOf('1')).not.toBe(digestOf(1));
  });
});

describe('taskLineage', () => {
  it('records agents, model calls with summed usage and cost, and digested inputs sorted by id', () => {
    const record = taskLineage({
      runId: 'run_1',
      taskId: 'write',
      agents: ['writer'],
      modelCalls: [call('call_1', 10, 0.25), call('call_2', 5, 0.5)],
      inputs: { research: 'facts', outline: 'plan' },
      output: 'report',
    });
    expect(record).toEqual({
      $schemaVersion: LINEAGE_SCHEMA_VERSION,
      runId: 'run_1',
      taskId: 'write',
      agents: ['writer'],
      modelCalls: [call('call_1', 10, 0.25), call('call_2', 5, 0.5)],
      inputs: [
        { taskId: 'outline', digest: digestOf('plan') },
        { taskId: 'research', digest: digestOf('facts') },
      ],
      outputDigest: digestOf('report'),
      usage: { inputTokens: 15, outputTokens: 2 },
      costUsd: 0.75,
      childRunIds: [],
    });
  });

  it('links child runs without changing the original', () => {
    const record = taskLineage({ runId: 'r', taskId: 't' });
    const linked = withChildRun(withChildRun(record, 'r.1'), 'r.1');
    expect(linked.childRunIds).toEqual(['r.1']);
    expect(record.childRunIds).toEqual([]);
  });
});

describe('recordModelCalls + scheduleLineage', () => {
  it('builds a run lineage from a schedule, with the model calls each task made', async () => {
    const clock = manualClock();
    const bus = createEventBus({ clock });
    const runBus = bus.child('run_1');
    const recorder = recordModelCalls(bus);
    const tree = testTree([{ id: 'a' }, { id: 'b', deps: ['a'] }, { id: 'c', deps: ['b'] }]);
    const result = await runTaskTree(
      tree,
      async (task, context) => {
        context.reportAgent(`agent-${task.id}`);
        runBus.emit({
          type: 'model.call.finished',
          callId: `call_${task.id}`,
          provider: 'scripted',
          model: 'm',
          usage: { inputTokens: 3, outputTokens: 4 },
          costUsd: 0.01,
          durationMs: 0,
          taskId: task.id,
        });
        if (task.id === 'b') throw new Error('b broke');
        return `out-${task.id}`;
      },
      { failurePolicy: 'continue' },
    );
    recorder.stop();
    const lineage = scheduleLineage({ runId: 'run_1', tree, result, modelCalls: recorder, parent: { runId: 'run_0', taskId: 'big' }, depth: 1 });
    expect(lineage.parent).toEqual({ runId: 'run_0', taskId: 'big' });
    expect(lineage.tasks.map((t) => [t.taskId, t.status])).toEqual([
      ['a', 'completed'],
      ['b', 'failed'],
    ]); // c never started: no record
    const b = lineage.tasks[1]!;
    expect(b.inputs).toEqual([{ taskId: 'a', digest: digestOf('out-a') }]);
    expect(b.agents).toEqual(['agent-b']);
    expect(b.modelCalls.map((c) => c.callId)).toEqual(['call_b']);
    expect(b.outputDigest).toBeUndefined();
    expect(parseRunLineage(JSON.parse(JSON.stringify(lineage)))).toEqual(lineage);
  });
});

describe('scheduleLineage inputs', () => {
  it('lists the declared dependencies the reduction dropped among the inputs, as the scheduler passed them', async () => {
    const tree = { ...testTree([{ id: 'a' }, { id: 'b', deps: ['a'] }, { id: 'c', deps: ['b'] }]), droppedEdges: [['c', 'a']] as const };
    const result = await runTaskTree(tree, async (task, { inputs }) => `${task.id}<${Object.keys(inputs).sort().join(',')}>`);
    expect(result.tasks.c?.output).toBe('c<a,b>');
    const c = scheduleLineage({ runId: 'r', tree, result }).tasks.find((t) => t.taskId === 'c')!;
    expect(c.inputs).toEqual([
      { taskId: 'a', digest: digestOf('a<>') },
      { taskId: 'b', digest: digestOf('b<a>') },
    ]);
  });
});

describe('parseRunLineage', () => {
  it('rejects another schema version and bad fields, naming their paths', () => {
    const good = { $schemaVersion: 1, runId: 'r', depth: 0, tasks: [taskLineage({ runId: 'r', taskId: 't', modelCalls: [call('c', 1, 0)] })] };
    expect(parseRunLineage(good).tasks).toHaveLength(1);
    expect(() => parseRunLineage({ ...good, $schemaVersion: 2 })).toThrow(InvalidLineageError);
    const bad = structuredClone(good);
    bad.tasks[0]!.modelCalls[0]!.costUsd = -1;
    expect(() => parseRunLineage(bad)).toThrow(/tasks\.0\.modelCalls\.0\.costUsd/);
  });
});
