import { describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { createTaskforce } from '../../src/api/create-taskforce.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { manualClock } from '../../src/util/clock.js';
import { AGENTS, scripted } from './helpers.js';
import { teamScript } from './script.js';

const ACROSS_LEVELS = {
  L1: [{ id: 'x' }, { id: 'y', dependsOn: ['x'] }],
  bikes: [{ id: 'a' }, { id: 'big', decomposable: true, instructions: 'Go to L1.', dependsOn: ['a'] }],
};

describe('orchestrate: budgets and cancellation', () => {
  it('stops every level when a run budget is reached in a sub-run, keeping partial results', async () => {
    // Calls: top planner, a, sub-run planner, x — then y would be the fifth.
    const { options, provider, events } = scripted({ plans: ACROSS_LEVELS }, { budgets: { maxModelCalls: 4 } });

    const result = await orchestrate('Write about bikes', options);

    expect(result.stoppedBy).toMatchObject({ kind: 'budget', budget: 'modelCalls' });
    expect(provider.calls).toBe(4);
    expect(result.metrics.modelCalls).toBe(4);
    const [a, big] = result.tree.tasks;
    expect(a).toMatchObject({ status: 'completed', output: 'ada did Do a.' });
    expect(big).toMatchObject({ status: 'failed', error: { code: 'BUDGET_EXCEEDED' } });
    const sub = big!.subRuns[0]!;
    expect(sub.stoppedBy).toMatchObject({ kind: 'budget', budget: 'modelCalls' });
    expect(sub.tasks.map((t) => [t.id, t.status])).toEqual([
      ['x', 'completed'],
      ['y', 'not-run'],
    ]);
    expect(sub.tasks[0]!.output).toBe('ada did Do x.');
    // No synthesis call could be made; the finished results are the output, under their ids.
    expect(result.tree.synthesis).toBeUndefined();
    expect(result.output).toBe('[a] Do a\n\nada did Do a.');
    expect(events.filter((e) => e.type === 'budget.exceeded')).toHaveLength(1);
  });

  it('applies a runtime budget across runs: a second run on the spent runtime stops before planning', async () => {
    const provider = scriptedModel({ replies: teamScript({ plans: ACROSS_LEVELS }) });
    const tf = await createTaskforce({ model: modelFromProvider(provider), agents: AGENTS, builtinAgents: false, seed: 1, clock: manualClock(), budgets: { maxModelCalls: 2 } });

    const first = await tf.orchestrate('Write about bikes');
    expect(first.stoppedBy).toMatchObject({ kind: 'budget', budget: 'modelCalls' });
    expect(first.tree.tasks.map((t) => t.status)).toEqual(['completed', 'not-run']);
    expect(provider.calls).toBe(2);

    const second = await tf.orchestrate('Write about bikes again');
    expect(second.stoppedBy).toMatchObject({ kind: 'budget', budget: 'modelCalls' });
    expect(second.tree).toMatchObject({ tasks: [], output: '', planned: 'planner' });
    expect(second.metrics.modelCalls).toBe(0);
    expect(provider.calls).toBe(2);
    tf.close();
  });

  it('stops at a token budget, saying which budget', async () => {
    const { options } = scripted({ plans: { bikes: [{ id: 'a' }, { id: 'b', dependsOn: ['a'] }, { id: 'c', dependsOn: ['b'] }] } }, { budgets: { maxTokens: 1300 } });
    const result = await orchestrate('Write about bikes', options);
    expect(result.stoppedBy).toMatchObject({ kind: 'budget', budget: 'tokens' });
    expect(result.tree.tasks.some((t) => t.status === 'completed')).toBe(true);
    expect(result.tree.tasks.some((t) => t.status !== 'completed')).toBe(true);
  });

  it('cancels on the signal, keeping what finished', async () => {
    const controller = new AbortController();
    const { options } = scripted(
      {
        plans: { bikes: [{ id: 'a' }, { id: 'b', dependsOn: ['a'] }, { id: 'c', dependsOn: ['b'] }] },
        work: ({ agent, title }) => {
          if (title === 'Do b') controller.abort(new Error('user pressed stop'));
          return `${agent} did ${title}.`;
        },
      },
      { signal: controller.signal },
    );

    const result = await orchestrate('Write about bikes', options);

    expect(result.stoppedBy).toEqual({ kind: 'cancelled', detail: 'user pressed stop' });
    expect(result.tree.tasks.map((t) => t.status)).toEqual(['completed', 'cancelled', 'not-run']);
    expect(result.output).toBe('[a] Do a\n\nada did Do a.');
  });
});
