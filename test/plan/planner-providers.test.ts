import { describe, expect, it } from 'vitest';
import type { AgentDefinition } from '../../src/agents/types.js';
import { createEventBus } from '../../src/events/bus.js';
import type { TaskforceEvent } from '../../src/events/types.js';
import { createModel } from '../../src/model/create-model.js';
import { planGoal } from '../../src/plan/planner.js';
import { manualClock } from '../../src/util/clock.js';
import { useAimock } from '../support/aimock.js';

const server = useAimock();
const settings = { resilience: { retry: { maxRetries: 0 } }, env: {} };

const agents: AgentDefinition[] = [
  { name: 'researcher', description: 'Finds sources.', capabilities: ['research'], systemPrompt: 'Research.', metadata: {}, source: 'code' },
  { name: 'writer', description: 'Writes prose.', capabilities: ['writing'], systemPrompt: 'Write.', metadata: {}, source: 'code' },
];
const step = (id: string, capability: string, dependsOn: string[]) => ({
  id,
  title: id,
  instructions: `Do ${id}`,
  capabilities: [capability],
  dependsOn,
  priority: 'medium',
  effort: 1,
  decomposable: false,
});
const cyclic = JSON.stringify({ tasks: [step('research', 'research', ['draft']), step('draft', 'writing', ['research'])] });
const fixed = JSON.stringify({ tasks: [step('research', 'research', []), step('draft', 'writing', ['research'])] });

function events() {
  const bus = createEventBus({ clock: manualClock() });
  const seen: TaskforceEvent[] = [];
  bus.on((event) => seen.push(event));
  return { bus, seen };
}

/** The text of the last user message of a chat-style request body. */
function lastUserText(body: Record<string, unknown>): string {
  const messages = body.messages as { role: string; content: string | { type: string; text?: string }[] }[];
  const last = messages.filter((m) => m.role === 'user').at(-1)!;
  return typeof last.content === 'string' ? last.content : last.content.map((part) => part.text ?? '').join('');
}

describe('planGoal over real provider SDKs (aimock)', () => {
  it('OpenAI: asks for the plan schema by json_schema and re-asks with the cycle named', async () => {
    // Registered first so that the re-ask, which also mentions the goal, matches it.
    server().mock.onMessage('previous plan was rejected', { content: fixed });
    server().mock.onMessage('e-bikes', { content: cyclic });
    const model = createModel({ provider: 'openai', model: 'gpt-5-mini', apiKey: 'test-key', baseURL: server().openaiBaseURL }, settings);
    const { bus, seen } = events();

    const tree = await planGoal('Write about e-bikes', { model, agents, events: bus });

    expect(tree.analysis.criticalPath).toEqual(['research', 'draft']);
    const [first, second] = server().modelRequests();
    const format = first!.response_format as { type: string; json_schema: { name: string; schema: { properties: Record<string, unknown> } } };
    expect(format.type).toBe('json_schema');
    expect(format.json_schema.name).toBe('plan');
    expect(Object.keys(format.json_schema.schema.properties)).toEqual(['tasks']);
    expect(lastUserText(second!)).toContain('dependency cycle: research → draft → research');
    expect(seen.filter((e) => e.type.startsWith('plan.')).map((e) => e.type)).toEqual(['plan.invalid', 'plan.created']);
  });

  it('Anthropic: offers the plan schema as the one tool and takes the plan from its call', async () => {
    server().mock.onMessage('e-bikes', { toolCalls: [{ name: 'plan', arguments: fixed }] });
    const model = createModel({ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'test-key', baseURL: server().anthropicBaseURL }, settings);

    const tree = await planGoal('Write about e-bikes', { model, agents });

    expect(tree.tasks.map((t) => [t.id, t.dependsOn])).toEqual([
      ['research', []],
      ['draft', ['research']],
    ]);
    // aimock journals Anthropic requests in its normalised (chat-completions) shape.
    const body = server().modelRequests()[0]!;
    const tools = body.tools as { function: { name: string; parameters: { properties: Record<string, unknown> } } }[];
    expect(tools.map((tool) => tool.function.name)).toEqual(['plan']);
    expect(Object.keys(tools[0]!.function.parameters.properties)).toEqual(['tasks']);
    expect(lastUserText(body)).toContain('**writer** (capabilities: writing): Writes prose.');
  });
});
