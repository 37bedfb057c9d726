import { describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { runsOf } from '../../src/orchestrate/metrics.js';
import { parseRunLineage } from '../../src/orchestrate/lineage.js';
import type { RunNode, TaskNode } from '../../src/orchestrate/types.js';
import { scripted } from './helpers.js';
import { kindOf, type PlannedTask } from './script.js';

/** Plans keyed deepest first: a sub-goal's planner prompt also quotes its parent's goal. */
const CHAIN: Record<string, PlannedTask[]> = {
  L3: [{ id: 'd3', capabilities: ['research'] }, { id: 'e3', capabilities: ['writing'], dependsOn: ['d3'] }],
  L2: [{ id: 'c2', capabilities: ['research'] }, { id: 'deep2', decomposable: true, instructions: 'Go to L3.', capabilities: ['analysis'] }],
  L1: [{ id: 'b1', capabilities: ['research'] }, { id: 'deep1', decomposable: true, instructions: 'Go to L2.', capabilities: ['analysis'] }],
  bikes: [{ id: 'a0', capabilities: ['research'] }, { id: 'deep0', decomposable: true, instructions: 'Go to L1.', capabilities: ['analysis'] }],
};

function task(run: RunNode, id: string): TaskNode {
  const found = run.tasks.find((t) => t.id === id);
  if (!found) throw new Error(`no task ${id} in ${run.runId}`);
  return found;
}

describe('orchestrate: recursive sub-runs', () => {
  it('runs a decomposable task as a sub-run one level deeper, linked in tree, lineage and events', async () => {
    const { options, provider, events } = scripted({
      plans: { L1: [{ id: 'b1', capabilities: ['research'] }, { id: 'c1', capabilities: ['writing'] }], bikes: CHAIN.bikes! },
    });

    const result = await orchestrate('Write about bikes', options);

    const deep = task(result.tree, 'deep0');
    expect(deep.status).toBe('completed');
    expect(deep.mode).toBe('sub-run');
    const [sub] = deep.subRuns;
    expect(sub).toMatchObject({ depth: 1, parent: { runId: result.tree.runId, taskId: 'deep0' }, planned: 'planner' });
    expect(sub!.tasks.map((t) => [t.id, t.status])).toEqual([
      ['b1', 'completed'],
      ['c1', 'completed'],
    ]);
    expect(deep.output).toBe(sub!.output);
    expect(sub!.output).toBe('Merged b1. [b1]\n\nMerged c1. [c1]');
    expect(deep.agents).toEqual(['ada', 'cy']);

    // Usage rolls up: the sub-run is inside the task's subtree, and the root's subtree is every call made.
    expect(deep.usage.own.modelCalls).toBe(0);
    expect(deep.usage.subtree).toEqual(sub!.usage.subtree);
    expect(sub!.usage.subtree.modelCalls).toBe(sub!.usage.own.modelCalls + 2);
    expect(result.tree.usage.subtree.modelCalls).toBe(provider.calls);
    expect(result.metrics).toMatchObject({ modelCalls: provider.calls, maxDepthReached: 1, runs: 2, agentsSpawned: 3 });
    expect(result.metrics.tokens).toBe(result.tree.usage.subtree.tokens);

    // The lineage is built when first read (hashing every output costs per task), then is a plain property.
    expect(Object.getOwnPropertyDescriptor(result, 'lineage')?.get).toBeTypeOf('function');
    expect(JSON.parse(JSON.stringify(result)).lineage).toEqual(JSON.parse(JSON.stringify(result.lineage)));
    expect(Object.getOwnPropertyDescriptor(result, 'lineage')?.value).toBe(result.lineage);
    // One lineage tree: the child names its parent, the parent task lists the child.
    expect(result.lineage.rootRunId).toBe(result.tree.runId);
    const [top, child] = result.lineage.runs;
    expect(child).toMatchObject({ runId: sub!.runId, depth: 1, parent: { runId: top!.runId, taskId: 'deep0' } });
    expect(top!.tasks.find((t) => t.taskId === 'deep0')!.childRunIds).toEqual([sub!.runId]);
    expect(child!.tasks.find((t) => t.taskId === 'b1')!.modelCalls).toHaveLength(1);
    // Plain, versioned data: it survives JSON and parses back.
    for (const run of result.lineage.runs) expect(parseRunLineage(JSON.parse(JSON.stringify(run)))).toEqual(run);

    expect(events.find((e) => e.type === 'recursion.spawned')).toMatchObject({ taskId: 'deep0', childRunId: sub!.runId, depth: 1, runId: result.tree.runId });
    expect(events.find((e) => e.type === 'run.started' && e.runId === sub!.runId)).toMatchObject({ depth: 1, parentTaskId: 'deep0' });
    expect(result.caps).toEqual([]);
    expect(result.stoppedBy).toBeUndefined();
  });

  it.each([1, 2, 3])('with maxDepth %i, a chain of decomposable tasks recurses exactly that deep', async (maxDepth) => {
    const { options, events } = scripted({ plans: CHAIN }, { maxDepth });

    const result = await orchestrate('Write about bikes', options);

    const runs = runsOf(result.tree);
    expect(runs.map((r) => r.depth)).toEqual(Array.from({ length: maxDepth + 1 }, (_, i) => i));
    expect(result.metrics.maxDepthReached).toBe(maxDepth);
    expect(result.lineage.runs.map((r) => r.depth)).toEqual(runs.map((r) => r.depth));
    expect(result.stoppedBy).toBeUndefined();
    // Every level's answer reaches the top.
    expect(result.tree.tasks.every((t) => t.status === 'completed')).toBe(true);

    const deepest = runs.at(-1)!;
    if (maxDepth < 3) {
      // The decomposable task at the cap ran directly with an agent, and the result says so.
      const capped = task(deepest, `deep${maxDepth}`);
      expect(capped).toMatchObject({ mode: 'agents', status: 'completed', subRuns: [] });
      expect(capped.caps).toEqual([expect.objectContaining({ cap: 'maxDepth', depth: maxDepth, taskId: `deep${maxDepth}`, runId: deepest.runId })]);
      expect(result.caps).toEqual(capped.caps);
      expect(events.filter((e) => e.type === 'recursion.capped')).toEqual([
        expect.objectContaining({ cap: 'maxDepth', taskId: `deep${maxDepth}`, runId: deepest.runId }),
      ]);
    } else {
      expect(deepest.tasks.map((t) => t.id)).toEqual(['d3', 'e3']);
      expect(result.caps).toEqual([]);
    }
  });

  it('with maxDepth 0 runs a decomposable task directly and reports the cap', async () => {
    const { options, provider } = scripted({ plans: CHAIN }, { maxDepth: 0 });
    const result = await orchestrate('Write about bikes', options);
    expect(task(result.tree, 'deep0')).toMatchObject({ mode: 'agents', status: 'completed', agents: ['ada'] });
    expect(result.caps.map((c) => c.cap)).toEqual(['maxDepth']);
    expect(provider.requests.filter((r) => kindOf(r) === 'planner')).toHaveLength(1);
  });

  it('keeps a sub-run whose plan stays invalid in the tree, with its error and its spend', async () => {
    const { options, provider, events } = scripted({
      plans: { L1: [{ id: 'x', dependsOn: ['x'] }], bikes: [{ id: 'a0' }, { id: 'deep0', decomposable: true, instructions: 'Go to L1.', dependsOn: ['a0'] }] },
    });

    const result = await orchestrate('Write about bikes', options);

    const deep = task(result.tree, 'deep0');
    expect(deep).toMatchObject({ status: 'failed', mode: 'sub-run', error: { code: 'PLAN_INVALID' } });
    const [sub] = deep.subRuns;
    expect(sub).toMatchObject({ depth: 1, tasks: [], output: '', error: { code: 'PLAN_INVALID' } });
    // The planner was asked three times (two re-asks); those calls are the sub-run's own usage.
    expect(sub!.usage.own.modelCalls).toBe(3);
    expect(result.metrics.modelCalls).toBe(provider.calls);
    expect(result.stoppedBy).toMatchObject({ kind: 'failure', taskId: 'deep0' });
    expect(result.lineage.runs.map((r) => r.runId)).toEqual([result.tree.runId, sub!.runId]);
    expect(events.find((e) => e.type === 'run.failed')).toMatchObject({ runId: sub!.runId, code: 'PLAN_INVALID' });
  });

  it('gives agents a delegate tool that runs a sub-run and returns its answer, above the depth cap only', async () => {
    const { options, provider } = scripted(
      {
        plans: { L1: [{ id: 'p1', capabilities: ['research'] }, { id: 'q1', capabilities: ['writing'] }], bikes: [{ id: 'a0', capabilities: ['research'] }] },
        work: ({ agent, title, toolResults }) => {
          if (title === 'Do a0' && toolResults.length === 0) return { toolCalls: [{ name: 'delegate', input: { goal: 'Survey L1 frames' } }] };
          return toolResults.length > 0 ? `${agent} used: ${toolResults[0]}` : `${agent} did ${title}.`;
        },
      },
      { maxDepth: 1 },
    );

    const result = await orchestrate('Write about bikes', options);

    const a0 = task(result.tree, 'a0');
    expect(a0.mode).toBe('agents');
    expect(a0.subRuns).toHaveLength(1);
    const sub = a0.subRuns[0]!;
    expect(sub).toMatchObject({ goal: 'Survey L1 frames', depth: 1, parent: { runId: result.tree.runId, taskId: 'a0' } });
    expect(a0.output).toBe(`ada used: ${sub.output}`);
    expect(result.output).toBe(a0.output);
    // Top-level workers see the tool; the sub-run's workers, at the cap, do not.
    const workerTools = provider.requests
      .filter((r) => kindOf(r) === 'worker')
      .map((r) => [r.messages[0]!.content.includes('Survey L1 frames'), (r.tools ?? []).map((t) => t.name)]);
    expect(workerTools).toEqual([
      [false, ['delegate']],
      [true, []],
      [true, []],
      [false, ['delegate']],
    ]);
    expect(a0.usage.subtree.modelCalls).toBe(a0.usage.own.modelCalls + sub.usage.subtree.modelCalls);
  });
});
