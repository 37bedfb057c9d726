import { afterEach, describe, expect, it } from 'vitest';
import type { EventOf, TaskforceEvent } from '../../src/events/types.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { recordModelCalls } from '../../src/orchestrate/lineage.js';
import { runsOf } from '../../src/orchestrate/metrics.js';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import type { OrchestrateOptions } from '../../src/orchestrate/options.js';
import { createRuntime, type ManagedRuntime } from '../../src/runtime/runtime.js';
import { manualClock } from '../../src/util/clock.js';
import { AGENTS } from './helpers.js';
import { kindOf, teamScript, type Script } from './script.js';

/** Two tasks of the top run, one of them decomposed into a sub-run of two tasks. */
const PLANS: Script['plans'] = {
  L1: [{ id: 'b1', capabilities: ['research'] }, { id: 'c1', capabilities: ['writing'] }],
  bikes: [{ id: 'a0', capabilities: ['research'] }, { id: 'deep0', decomposable: true, instructions: 'Go to L1.', capabilities: ['analysis'] }],
};

let runtime: ManagedRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

/**
 * A runtime whose model is built by the runtime itself (a provider config, not a ready `Model`), so
 * its `model.call.*` events go on the runtime's bus, as they do for models named by a spec.
 */
async function run(strategy: OrchestrateOptions<unknown>['strategy'], script: Script) {
  const provider = scriptedModel({ replies: teamScript(script) });
  runtime = await createRuntime({ model: { provider }, agents: AGENTS, builtinAgents: false, seed: 7, clock: manualClock() });
  const recorder = recordModelCalls(runtime.events);
  const events: TaskforceEvent[] = [];
  const result = await orchestrate('Write about bikes', { runtime, ...(strategy ? { strategy } : {}), onEvent: (e) => events.push(e) });
  recorder.stop();
  const finished = events.filter((e): e is EventOf<'model.call.finished'> => e.type === 'model.call.finished');
  // The provider saw each call under the id its events carry: what kind of call each event was.
  const kindOfCall = new Map(provider.requests.map((r) => [r.callId, r.responseFormat?.name ?? kindOf(r)]));
  return { result, recorder, finished, kindOfCall };
}

describe('orchestrate: model call events say which run and task they served', () => {
  it('tags every call with its run, and each bid with its task and bidder; lineage from events matches the tree', async () => {
    const { result, recorder, finished, kindOfCall } = await run({ name: 'auction', bidder: 'model' }, { plans: PLANS });
    const runs = runsOf(result.tree);
    expect(runs).toHaveLength(2);
    const runIds = runs.map((r) => r.runId);

    expect(finished.length).toBe(result.tree.usage.subtree.modelCalls);
    for (const event of finished) expect(runIds).toContain(event.runId);

    const bids = finished.filter((e) => kindOfCall.get(e.callId) === 'bid');
    expect(bids.length).toBeGreaterThan(0);
    for (const bid of bids) {
      expect(bid.taskId).toMatch(/^(a0|b1|c1)$/);
      expect(bid.agent).toMatch(/^(ada|bob|cy)$/);
    }
    // The sub-run's calls carry the sub-run's id, not its parent's.
    const sub = runs[1]!;
    expect(finished.filter((e) => e.taskId === 'b1').every((e) => e.runId === sub.runId)).toBe(true);
    // Planner and synthesis calls serve the run, not a task.
    for (const e of finished.filter((e) => ['planner', 'synthesizer'].includes(kindOfCall.get(e.callId) ?? ''))) expect(e.taskId).toBeUndefined();

    // recordModelCalls (from events) finds exactly the calls the tree charged to each task.
    for (const r of runs)
      for (const task of r.tasks) {
        const calls = recorder.callsFor(task.id, r.runId);
        expect({ run: r.runId, task: task.id, calls: calls.length }).toEqual({ run: r.runId, task: task.id, calls: task.usage.own.modelCalls });
        expect(calls.reduce((sum, c) => sum + c.costUsd, 0)).toBeCloseTo(task.usage.own.costUsd, 12);
      }
  });

  it("tags each consensus vote with the task it decides and the voter's name", async () => {
    // Three different first answers: no quorum, so the voters vote again on the options.
    const ownAnswer = ({ agent }: { agent: string }) => `${agent} thinks otherwise.`;
    const { result, finished, kindOfCall } = await run({ name: 'consensus', k: 3, weighting: 'equal' }, { plans: { bikes: [{ id: 'a0' }, { id: 'b0' }] }, work: ownAnswer });
    const votes = finished.filter((e) => kindOfCall.get(e.callId) === 'vote');
    expect(votes.length).toBeGreaterThan(0);
    for (const vote of votes) {
      expect(vote).toMatchObject({ runId: result.tree.runId });
      expect(['a0', 'b0']).toContain(vote.taskId);
      expect(['ada', 'bob', 'cy']).toContain(vote.agent);
    }
  });
});
