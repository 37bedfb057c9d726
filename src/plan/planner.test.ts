import { describe, expect, it } from 'vitest';
import type { AgentDefinition } from '../agents/types.js';
import { createEventBus } from '../events/bus.js';
import type { TaskforceEvent } from '../events/types.js';
import { modelFromProvider } from '../model/model.js';
import { scriptedModel, type ScriptedReply } from '../model/scripted.js';
import { manualClock } from '../util/clock.js';
import { PlanValidationError } from './errors.js';
import { planGoal } from './planner.js';

function agent(name: string, capabilities: string[], description: string): AgentDefinition {
  return { name, description, capabilities, systemPrompt: `You are ${name}.`, metadata: {}, source: 'code' };
}

const agents = [
  agent('researcher', ['research', 'web-search'], 'Finds and summarises sources.'),
  agent('writer', ['writing'], 'Writes clear prose.'),
];

const cyclic = JSON.stringify({
  tasks: [
    { id: 'research', title: 'Research', instructions: 'Find sources', capabilities: ['research'], dependsOn: ['draft'] },
    { id: 'draft', title: 'Draft', instructions: 'Write the report', capabilities: ['writing'], dependsOn: ['research'] },
  ],
});
const valid = JSON.stringify({
  tasks: [
    { id: 'research', title: 'Research', instructions: 'Find sources', capabilities: ['research'], dependsOn: [], effort: 2 },
    { id: 'outline', title: 'Outline', instructions: 'Outline the report', capabilities: ['writing'], dependsOn: ['research'] },
    { id: 'draft', title: 'Draft', instructions: 'Write the report', capabilities: ['writing'], dependsOn: ['outline', 'research'] },
  ],
});

function setup(replies: ScriptedReply[]) {
  const provider = scriptedModel({ replies });
  const events = createEventBus({ clock: manualClock() });
  const seen: TaskforceEvent[] = [];
  events.on((event) => seen.push(event));
  return { provider, events, seen, model: modelFromProvider(provider) };
}

function userText(request: { messages: readonly { role: string; content: string }[] }): string {
  return request.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
}

describe('planGoal', () => {
  it('fills the prompt with the goal, the agents, their capability vocabulary and the limits', async () => {
    const { provider, model } = setup([valid]);
    await planGoal('Write a report on e-bikes', { model, agents }, { maxTasks: 9 });
    const prompt = userText(provider.requests[0]!);
    expect(prompt).toContain('Write a report on e-bikes');
    expect(prompt).toContain('**researcher** (capabilities: research, web-search): Finds and summarises sources.');
    expect(prompt).toContain('use these exact names, nothing else): research, web-search, writing');
    expect(prompt).toContain('At most 9 tasks');
    expect(prompt).not.toContain('{{');
    expect(prompt).not.toContain('previous plan was rejected');
  });

  it('returns the reduced, analysed tree and reports it', async () => {
    const { provider, model, events, seen } = setup([valid]);
    const tree = await planGoal('Write a report', { model, agents, events });
    expect(tree.goal).toBe('Write a report');
    expect(tree.tasks.map((t) => t.id)).toEqual(['research', 'outline', 'draft']);
    expect(tree.droppedEdges).toEqual([['draft', 'research']]);
    expect(tree.analysis.criticalPath).toEqual(['research', 'outline', 'draft']);
    expect(seen.filter((e) => e.type.startsWith('plan.'))).toEqual([
      { type: 'plan.created', taskCount: 3, droppedEdges: [['draft', 'research']], attempts: 1, at: 0 },
    ]);
    provider.assertAllUsed();
  });

  it('re-asks with the problems after an invalid plan, then accepts the corrected one', async () => {
    const { provider, model, events, seen } = setup([cyclic, valid]);
    const tree = await planGoal('Write a report', { model, agents, events });
    expect(tree.tasks).toHaveLength(3);
    expect(provider.calls).toBe(2);
    const second = userText(provider.requests[1]!);
    expect(second).toContain('previous plan was rejected');
    expect(second).toContain('dependency cycle: research → draft → research');
    expect(second).toContain('"id": "research"'); // the rejected plan itself, to be fixed
    const planEvents = seen.filter((e) => e.type.startsWith('plan.')).map((e) => e.type);
    expect(planEvents).toEqual(['plan.invalid', 'plan.created']);
    expect(seen.find((e) => e.type === 'plan.invalid')).toMatchObject({ attempt: 1, errors: [expect.stringContaining('research → draft → research')] });
  });

  it('rejects capabilities no agent holds and suggests the nearest', async () => {
    const unknown = JSON.stringify({
      tasks: [{ id: 'draft', title: 'Draft', instructions: 'Write it', capabilities: ['writting'], dependsOn: [] }],
    });
    const { provider, model } = setup([unknown, valid]);
    await planGoal('Write a report', { model, agents });
    expect(userText(provider.requests[1]!)).toContain('needs capability "writting", which no agent has; nearest known capability: "writing"');
  });

  it('gives up after the re-ask bound with a PlanValidationError carrying the last problems', async () => {
    const { provider, model, events, seen } = setup([cyclic, cyclic]);
    const failure = planGoal('Write a report', { model, agents, events }, { maxReasks: 1 });
    await expect(failure).rejects.toSatisfy((error: unknown) => {
      if (!PlanValidationError.isInstance(error)) return false;
      const planError = error as PlanValidationError;
      return planError.code === 'PLAN_INVALID' && planError.attempts === 2 && planError.problems[0]?.kind === 'cycle';
    });
    await expect(failure).rejects.toThrow(/no valid plan for goal "Write a report" after 2 attempts/);
    expect(provider.calls).toBe(2);
    expect(seen.filter((e) => e.type === 'plan.invalid')).toHaveLength(2);
    expect(seen.some((e) => e.type === 'plan.created')).toBe(false);
  });

  it('re-asks twice by default', async () => {
    const { provider, model } = setup([cyclic, cyclic, cyclic]);
    await expect(planGoal('Write a report', { model, agents })).rejects.toThrow(/after 3 attempts/);
    provider.assertAllUsed();
  });

  it('applies the size limits to what the model returns', async () => {
    const { provider, model } = setup([valid, JSON.stringify({ tasks: [JSON.parse(valid).tasks[0]] })]);
    const tree = await planGoal('Write a report', { model, agents }, { maxDepth: 2 });
    expect(tree.tasks).toHaveLength(1);
    expect(userText(provider.requests[1]!)).toContain('the plan is 3 tasks deep (research → outline → draft); the limit is 2');
  });

  it('uses a custom template and rejects an unknown placeholder', async () => {
    const { provider, model } = setup([valid]);
    await planGoal('G', { model, agents }, { template: 'Plan {{goal}} for {{agents}} using {{capabilities}}.' });
    expect(userText(provider.requests[0]!)).toMatch(/^Plan G for - \*\*researcher\*\*/);
    await expect(planGoal('G', { model, agents }, { template: '{{goal}} {{agents}} {{capabilities}} {{colour}}' })).rejects.toThrow(
      /uses \{\{colour\}\}, which has no value/,
    );
  });
});
