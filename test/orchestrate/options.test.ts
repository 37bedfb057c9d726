import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskforceEvent } from '../../src/events/types.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { createTaskforce } from '../../src/api/create-taskforce.js';
import { runsOf } from '../../src/orchestrate/metrics.js';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { manualClock } from '../../src/util/clock.js';
import { AGENTS, scripted } from './helpers.js';
import { kindOf, teamScript, type CallKind, type Script } from './script.js';

/** A top-level plan with one task that is planned again one level deeper. */
const NESTED: Script = {
  plans: {
    L1: [{ id: 'x', capabilities: ['research'] }, { id: 'y', capabilities: ['writing'] }],
    bikes: [{ id: 'a', capabilities: ['research'] }, { id: 'deep', decomposable: true, instructions: 'Go to L1.', capabilities: ['analysis'] }],
  },
};

/** A scripted model that answers only requests of the given kinds, so a request sent to the wrong role fails the run. */
function roleModel(script: Script, kinds: readonly CallKind[]) {
  const team = teamScript(script);
  const provider = scriptedModel({
    replies: (request, index) => {
      const kind = kindOf(request);
      if (!kinds.includes(kind)) throw new Error(`a ${kind} request reached the ${kinds.join('/')} model`);
      return team(request, index);
    },
  });
  return { provider, model: modelFromProvider(provider) };
}

describe('orchestrate options', () => {
  it('model per role: planner, workers and synthesizer each get only their calls, at every level', async () => {
    const planner = roleModel(NESTED, ['planner']);
    const worker = roleModel(NESTED, ['worker']);
    const synthesizer = roleModel(NESTED, ['synthesizer', 'critic', 'reviser']);

    const result = await orchestrate('Write about bikes', {
      models: { planner: planner.model, worker: worker.model, synthesizer: synthesizer.model },
      agents: AGENTS,
      builtinAgents: false,
      seed: 1,
      clock: manualClock(),
      refine: { maxRounds: 2 },
    });

    expect(result.stoppedBy).toBeUndefined();
    expect(result.metrics.maxDepthReached).toBe(1);
    // Two planners (top and sub-run), three workers (a, x, y), two syntheses and one critique.
    expect([planner.provider.calls, worker.provider.calls, synthesizer.provider.calls]).toEqual([2, 3, 3]);
    expect(result.metrics.modelCalls).toBe(8);
  });

  describe('agentsDir', () => {
    const dirs: string[] = [];
    afterEach(async () => {
      for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
    });

    async function agentDir(name: string, capabilities: string): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), 'taskforce-agents-'));
      dirs.push(dir);
      const file = `---\nname: ${name}\ndescription: ${name} does ${capabilities}\ncapabilities: [${capabilities}]\n---\n\nYou are ${name}.\n`;
      await writeFile(join(dir, `${name}.md`), file);
      return dir;
    }

    it('loads the agents of several directories and puts them to work', async () => {
      const { options, provider } = scripted({ plans: { bikes: [{ id: 'facts', capabilities: ['research'] }, { id: 'story', capabilities: ['writing'], dependsOn: ['facts'] }] } });
      const { agents: _inCode, ...rest } = options;

      const result = await orchestrate('Write about bikes', { ...rest, agentsDir: [await agentDir('finder', 'research'), await agentDir('scribe', 'writing')] });

      expect(result.tree.tasks.map((t) => [t.id, t.agents])).toEqual([
        ['facts', ['finder']],
        ['story', ['scribe']],
      ]);
      const plannerPrompt = provider.requests.find((r) => kindOf(r) === 'planner')!.messages[0]!.content;
      expect(plannerPrompt).toContain('**finder** (capabilities: research)');
      expect(plannerPrompt).toContain('**scribe** (capabilities: writing)');
    });
  });

  it('onEvent sees every level while its run is in flight, and nothing after', async () => {
    const provider = scriptedModel({ replies: teamScript(NESTED) });
    const tf = await createTaskforce({ model: modelFromProvider(provider), agents: AGENTS, builtinAgents: false, seed: 1, clock: manualClock() });
    const seen: TaskforceEvent[] = [];

    const result = await tf.orchestrate('Write about bikes', { onEvent: (e) => seen.push(e) });
    const [top, sub] = runsOf(result.tree);
    const runIds = new Set(seen.flatMap((e) => (e.type === 'run.completed' ? [e.runId] : [])));
    expect(runIds).toEqual(new Set([top!.runId, sub!.runId]));
    expect(seen.filter((e) => e.type === 'task.completed' && e.runId === sub!.runId)).toHaveLength(2);

    const count = seen.length;
    await tf.orchestrate('Write about bikes again');
    expect(seen).toHaveLength(count);
    await tf.close();
  });

  it('signal: cancelling inside a sub-run stops every level and keeps what finished', async () => {
    const controller = new AbortController();
    const { options, provider } = scripted(
      {
        plans: { L1: [{ id: 'x' }, { id: 'y', dependsOn: ['x'] }], bikes: [{ id: 'a' }, { id: 'deep', decomposable: true, instructions: 'Go to L1.', dependsOn: ['a'] }] },
        work: ({ agent, title }) => {
          if (title === 'Do y') controller.abort(new Error('user pressed stop'));
          return `${agent} did ${title}.`;
        },
      },
      { signal: controller.signal },
    );

    const result = await orchestrate('Write about bikes', options);

    expect(result.stoppedBy).toMatchObject({ kind: 'cancelled' });
    const [a, deep] = result.tree.tasks;
    expect(a).toMatchObject({ status: 'completed', output: 'ada did Do a.' });
    expect(deep!.status).toBe('cancelled');
    const sub = deep!.subRuns[0]!;
    expect(sub.stoppedBy).toMatchObject({ kind: 'cancelled', detail: expect.stringContaining('user pressed stop') });
    expect(sub.tasks.map((t) => [t.id, t.status])).toEqual([
      ['x', 'completed'],
      ['y', 'cancelled'],
    ]);
    expect(result.output).toBe('[a] Do a\n\nada did Do a.');
    // The run waited for the aborted sub-run to wind down, so its planner and `x` calls are in the tree and
    // the lineage. Only y's call, aborted mid-call, has no result to count.
    expect(provider.calls).toBe(5);
    expect(result.metrics.modelCalls).toBe(4);
    expect(deep!.usage.subtree.modelCalls).toBe(2);
    expect(result.lineage.runs.map((r) => r.runId)).toEqual([result.tree.runId, sub.runId]);
  });

  it('seed: the seed, not the run, decides random picks', async () => {
    const plans = { bikes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }] };
    const picks = async (seed: number) => {
      const result = await orchestrate('Write about bikes', scripted({ plans }, { strategy: 'stigmergy', seed }).options);
      return result.tree.tasks.map((t) => t.decision!.pick).join(',');
    };
    const bySeed = [];
    for (const seed of [1, 2, 3, 4, 5]) bySeed.push(await picks(seed));
    // Each seed replays exactly; across seeds the picks differ.
    expect(await picks(1)).toBe(bySeed[0]);
    expect(new Set(bySeed).size).toBeGreaterThan(1);
  });
});
