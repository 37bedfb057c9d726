import { describe, expect, it } from 'vitest';
import type { ProviderRequest } from '../src/model/types.js';
import { hierarchical, type DelegationNode } from './hierarchical.js';
import { agentOf, callKind, lastPrompt, testAgent, testContext, testRuntime, testTask, decisionOf } from './test-support.js';

const lead = testAgent('lead', ['research', 'writing', 'planning']);
const researcher = testAgent('researcher', ['research']);
const writer = testAgent('writer', ['writing']);
const helper = testAgent('helper', ['research', 'writing']);
const task = testTask({ capabilities: ['research', 'writing'], title: 'Report', instructions: 'Write a report on solar power.' });

const split = (subtasks: { id: string; effort: number; capabilities: string[]; delegate?: boolean }[]) =>
  JSON.stringify({ subtasks: subtasks.map((s) => ({ title: s.id, instructions: `Do ${s.id}.`, delegate: false, ...s })) });

describe('hierarchical', () => {
  it('lets the best-covering agent lead: it splits, subordinates work, it integrates the reports', async () => {
    const reply = (r: ProviderRequest) => {
      if (callKind(r) === 'split') return split([{ id: 'facts', effort: 2, capabilities: ['research'] }, { id: 'prose', effort: 1, capabilities: ['writing'] }]);
      if (agentOf(r) === 'lead') return `FINAL from reports: ${lastPrompt(r).includes('FACTS DONE') && lastPrompt(r).includes('PROSE DONE')}`;
      return agentOf(r) === 'researcher' ? 'FACTS DONE' : 'PROSE DONE';
    };
    const { runtime, model, events } = testRuntime({ agents: [researcher, writer, lead], reply });
    const result = await hierarchical().coordinate(testContext(runtime, task));
    expect(result.output).toBe('FINAL from reports: true');
    const splitRequest = model.requests.find((r) => callKind(r) === 'split')!;
    expect(agentOf(splitRequest)).toBe('lead');
    expect(lastPrompt(splitRequest)).toContain('- researcher (capabilities: research)');
    const tree = decisionOf<{ tree: DelegationNode }>(result).tree;
    expect(result.decision).toMatchObject({ strategy: 'hierarchical', leader: 'lead' });
    expect(tree.children!.map((c) => [c.subtask!.id, c.agent])).toEqual([
      ['facts', 'researcher'],
      ['prose', 'writer'],
    ]);
    expect([...result.agents].sort()).toEqual(['lead', 'researcher', 'writer']);
    expect(events.some((e) => e.type === 'strategy.decision')).toBe(true);
  });

  it('spreads equally capable work by load, longest first', async () => {
    const reply = (r: ProviderRequest) =>
      callKind(r) === 'split'
        ? split([{ id: 's1', effort: 1, capabilities: ['research'] }, { id: 's2', effort: 3, capabilities: ['research'] }, { id: 's3', effort: 2, capabilities: ['research'] }])
        : `${agentOf(r)} done`;
    const { runtime } = testRuntime({ agents: [lead, researcher, helper], reply });
    const result = await hierarchical({ maxLevels: 0 }).coordinate(testContext(runtime, task));
    const tree = decisionOf<{ tree: DelegationNode }>(result).tree;
    // Subordinates in match order: helper, researcher. LPT: s2 (3) → helper, s3 (2) → researcher,
    // s1 (1) → researcher (load 2 < 3).
    expect(Object.fromEntries(tree.children!.map((c) => [c.subtask!.id, c.agent]))).toEqual({ s1: 'researcher', s2: 'helper', s3: 'researcher' });
    expect(tree.loads).toEqual({ researcher: 3, helper: 3 });
  });

  it('counts the load of tasks still running on the same strategy instance', async () => {
    let release!: () => void;
    const held = new Promise<string>((resolve) => (release = () => resolve('slow work')));
    let splits = 0;
    const reply = (r: ProviderRequest) => {
      if (callKind(r) === 'split') return split([{ id: `s${++splits}`, effort: 5, capabilities: ['research'] }]);
      if (agentOf(r) === 'helper' && lastPrompt(r).includes('Do s1.')) return held;
      return `${agentOf(r)} done`;
    };
    const { runtime } = testRuntime({ agents: [lead, helper, researcher], reply });
    const strategy = hierarchical();
    const first = strategy.coordinate(testContext(runtime, task));
    await new Promise((resolve) => setImmediate(resolve));
    const second = await strategy.coordinate(testContext(runtime, testTask({ id: 'task-2', capabilities: ['research', 'writing'] })));
    expect(decisionOf<{ tree: DelegationNode }>(second).tree.children![0]!.agent).toBe('researcher');
    release();
    await first;
    const third = await strategy.coordinate(testContext(runtime, testTask({ id: 'task-3', capabilities: ['research', 'writing'] })));
    expect(decisionOf<{ tree: DelegationNode }>(third).tree.children![0]!.agent).toBe('helper');
  });

  it('lets a subordinate lead its own subtree within the depth cap', async () => {
    const reply = (r: ProviderRequest) => {
      if (callKind(r) === 'split')
        return agentOf(r) === 'lead'
          ? split([{ id: 'big', effort: 5, capabilities: ['research', 'writing'], delegate: true }])
          : split([{ id: 'part', effort: 1, capabilities: ['research'] }]);
      return `${agentOf(r)} output`;
    };
    const deep = testRuntime({ agents: [lead, helper, researcher], reply, maxDepth: 2 });
    const result = await hierarchical().coordinate(testContext(deep.runtime, task));
    const tree = decisionOf<{ tree: DelegationNode }>(result).tree;
    expect(tree.children![0]).toMatchObject({ agent: 'helper', role: 'leader', level: 1, children: [{ agent: 'researcher', role: 'worker', level: 2 }] });

    // At depth = maxDepth, nobody below the top leader may lead: the same split runs as plain work.
    const capped = testRuntime({ agents: [lead, helper, researcher], reply, maxDepth: 1 });
    const cappedResult = await hierarchical().coordinate(testContext(capped.runtime, task, { depth: 1 }));
    expect(decisionOf<{ allowedLevels: number; tree: DelegationNode }>(cappedResult).allowedLevels).toBe(0);
    expect(decisionOf<{ tree: DelegationNode }>(cappedResult).tree.children![0]).toMatchObject({ agent: 'helper', role: 'worker' });
    expect(capped.model.requests.filter((r) => callKind(r) === 'split')).toHaveLength(1);
    expect(lastPrompt(capped.model.requests[0]!)).toContain('Sub-delegation allowed at this level: no');
  });

  it('has a lone agent do the task itself', async () => {
    const { runtime, model } = testRuntime({ agents: [lead], reply: () => 'did it alone' });
    const result = await hierarchical().coordinate(testContext(runtime, task));
    expect(result.output).toBe('did it alone');
    expect(model.calls).toBe(1);
    expect(result.decision).toMatchObject({ tree: { agent: 'lead', role: 'worker' } });
  });

  it('integrates around a failed subordinate and tells the leader it failed', async () => {
    const reply = (r: ProviderRequest) => {
      if (callKind(r) === 'split') return split([{ id: 'facts', effort: 1, capabilities: ['research'] }, { id: 'prose', effort: 1, capabilities: ['writing'] }]);
      if (agentOf(r) === 'writer') return { error: new Error('writer crashed') };
      if (agentOf(r) === 'lead') return lastPrompt(r).includes('failed="true"') ? 'integrated with a gap' : 'integrated';
      return 'facts';
    };
    const { runtime } = testRuntime({ agents: [lead, researcher, writer], reply });
    const result = await hierarchical().coordinate(testContext(runtime, task));
    expect(result.output).toBe('integrated with a gap');
    expect(decisionOf<{ tree: DelegationNode }>(result).tree.children![1]).toMatchObject({ agent: 'writer', error: 'writer crashed' });
  });
});
