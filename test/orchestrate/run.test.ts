import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/taskforce-error.js';
import { PlanValidationError } from '../../src/plan/errors.js';
import { buildTaskTree } from '../../src/plan/tree.js';
import { createTaskforce } from '../../src/api/create-taskforce.js';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { manualClock, type Clock } from '../../src/util/clock.js';
import { AGENTS, scripted } from './helpers.js';
import { kindOf, teamScript, type Script } from './script.js';

const DEEP: Script = {
  plans: {
    L1: [{ id: 'x' }, { id: 'y', dependsOn: ['x'] }],
    bikes: [{ id: 'a' }, { id: 'b' }, { id: 'deep', decomposable: true, instructions: 'Go to L1.', dependsOn: ['a'] }],
  },
  work: ({ agent, title, toolResults }) => {
    if (title === 'Do b' && toolResults.length === 0) return { toolCalls: [{ name: 'delegate', input: { goal: 'Ask L1 about gears' } }] };
    return `${agent} did ${title}${toolResults.length ? ` using ${toolResults.join(' ')}` : ''}.`;
  },
};

describe('orchestrate: determinism, user plans and options', () => {
  it('gives the same tree, assignments and output for the same seed', async () => {
    const run = () => orchestrate('Write about bikes', scripted(DEEP, { strategy: 'stigmergy', seed: 42 }).options);
    const [first, second] = [await run(), await run()];
    expect(second).toEqual(first);
    // Ids come from the runtime's generator, not the wall clock.
    expect(first.tree.runId).toBe('run_1');
    expect(first.metrics.runs).toBe(3);
    expect(first.metrics.wallTimeMs).toBe(0);
  });

  it('measures wall time on the runtime clock', async () => {
    // A clock that moves only when a worker "works": 250 ms per worker call.
    let now = 0;
    const clock: Clock = { now: () => now, sleep: () => Promise.reject(new Error('this run should not sleep')) };
    const { options, events } = scripted(
      {
        ...DEEP,
        work: (call) => {
          now += 250;
          return DEEP.work!(call);
        },
      },
      { clock },
    );

    const result = await orchestrate('Write about bikes', options);

    // Workers: a, b (twice: the delegate call and the answer), and x, y in each of the two sub-runs.
    expect(result.metrics.wallTimeMs).toBe(7 * 250);
    const completed = events.flatMap((e) => (e.type === 'run.completed' ? [[e.runId, e.durationMs]] : []));
    expect(completed).toContainEqual([result.tree.runId, 7 * 250]);
  });

  it('runs a user plan without the planner, honouring pinned agents', async () => {
    const { options, provider } = scripted(
      { plans: {} },
      {
        plan: {
          goal: 'Bike report',
          tasks: [
            { id: 'facts', title: 'Gather facts', instructions: 'List bike facts.', capabilities: ['research'] },
            { id: 'write', title: 'Write it', instructions: 'Write the report.', capabilities: ['writing'], dependsOn: ['facts'], agent: 'bob' },
          ],
        },
      },
    );

    const result = await orchestrate('Write a bike report', options);

    expect(provider.requests.some((r) => kindOf(r) === 'planner')).toBe(false);
    expect(result.tree.planned).toBe('user');
    expect(result.tree.tasks.map((t) => [t.id, t.agents])).toEqual([
      ['facts', ['ada']],
      ['write', ['bob']],
    ]);
    expect(result.tree.tasks[1]!.decision).toMatchObject({ agent: 'bob', reason: 'pinned by the plan' });
    // The writer saw the facts it depends on.
    const writeRequest = provider.requests.find((r) => r.system === 'You are bob.')!;
    expect(writeRequest.messages[0]!.content).toContain('<input task="facts">\nada did Gather facts.\n</input>');
  });

  it('accepts a ready TaskTree as the plan, and still plans its decomposable tasks', async () => {
    const tree = buildTaskTree({ goal: 'Bikes', tasks: [{ id: 'deep', title: 'Deep', instructions: 'Go to L1.', decomposable: true }] });
    const { options, provider } = scripted(DEEP, { plan: tree });
    const result = await orchestrate('Write about bikes', options);
    expect(result.tree.planned).toBe('user');
    expect(result.tree.tasks[0]!.subRuns[0]!.planned).toBe('planner');
    expect(provider.requests.filter((r) => kindOf(r) === 'planner')).toHaveLength(1);
  });

  it('rejects a plan pinned to an unknown agent before any model call', async () => {
    const { options, provider } = scripted({ plans: {} });
    const planned = orchestrate('Bikes', { ...options, plan: { goal: 'Bikes', tasks: [{ id: 't', title: 'T', instructions: 'Do.', agent: 'zed' }] } });
    await expect(planned).rejects.toBeInstanceOf(PlanValidationError);
    const tree = { ...buildTaskTree({ goal: 'Bikes', tasks: [{ id: 't', title: 'T', instructions: 'Do.' }] }) };
    const pinned = { ...tree, tasks: [{ ...tree.tasks[0]!, agent: 'zed' }] };
    await expect(orchestrate('Bikes', { ...options, plan: pinned })).rejects.toThrow(/task "t" is pinned to agent "zed"/);
    expect(provider.calls).toBe(0);
  });

  it('throws when the planner never produces a valid plan, after reporting the run as failed', async () => {
    const { options, events } = scripted({ plans: { bikes: [{ id: 'a', dependsOn: ['a'] }] } });
    await expect(orchestrate('Write about bikes', options)).rejects.toBeInstanceOf(PlanValidationError);
    expect(events.some((e) => e.type === 'run.failed' && e.code === 'PLAN_INVALID')).toBe(true);
  });

  it('keeps runtime settings and run options apart', async () => {
    const provider = scriptedModel({ replies: teamScript({ plans: {} }) });
    const tf = await createTaskforce({ model: modelFromProvider(provider), agents: AGENTS, builtinAgents: false, limits: { maxDepth: 1 } });
    await expect(orchestrate('Bikes', { runtime: tf.runtime, model: 'openai:gpt-5-mini', seed: 1 })).rejects.toThrow(
      /"model", "seed" configure a runtime, but "runtime" was given/,
    );
    await expect(tf.orchestrate('Bikes', { maxDepth: 2 })).rejects.toThrow(/maxDepth 2 is above the runtime's limits.maxDepth 1/);
    await expect(tf.orchestrate('  ')).rejects.toBeInstanceOf(ConfigError);
    expect(provider.calls).toBe(0);
    tf.close();
  });

  it('binds orchestrate and plan to one runtime with createTaskforce', async () => {
    const provider = scriptedModel({ replies: teamScript(DEEP) });
    const tf = await createTaskforce({ model: modelFromProvider(provider), agents: AGENTS, builtinAgents: false, seed: 5, clock: manualClock() });
    const tree = await tf.plan('Write about bikes');
    expect(tree.tasks.map((t) => t.id)).toEqual(['a', 'b', 'deep']);
    expect(tree.analysis.criticalPath).toEqual(['a', 'deep']);
    const result = await tf.orchestrate('Write about bikes', { plan: tree, maxDepth: 0 });
    expect(result.caps.map((c) => [c.cap, c.taskId])).toEqual([['maxDepth', 'deep']]);
    // With maxDepth 0 no agent gets the delegate tool.
    expect(provider.requests.filter((r) => kindOf(r) === 'worker').every((r) => (r.tools ?? []).length === 0)).toBe(true);
    tf.close();
  });
});
