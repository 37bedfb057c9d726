import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/model/spec.js';
import { orchestrate } from '../../src/run/orchestrate/orchestrate.js';
import { manualClock } from '../../src/util/clock.js';
import { useAimock, type AimockServer } from '../support/aimock.js';
import { AGENTS } from './helpers.js';

const server = useAimock();

const PLAN = JSON.stringify({
  tasks: [
    { id: 'motors', title: 'Research motors', instructions: 'Compare hub and mid-drive motors.', capabilities: ['research'], dependsOn: [], priority: 'high', effort: 1, decomposable: false },
    { id: 'note', title: 'Draft the note', instructions: 'Write a short buying note from the comparison.', capabilities: ['writing'], dependsOn: ['motors'], priority: 'medium', effort: 1, decomposable: false },
  ],
});

/** Fixtures for the whole team; the planner's reply comes the way each SDK delivers structured output. */
function team(mock: AimockServer['mock'], planner: { content: string } | { toolCalls: { name: string; arguments: string }[] }) {
  mock.onMessage('You are the planner', { ...planner, usage: USAGE });
  mock.onMessage('Your task: Research motors', { content: 'Hub motors are quiet; mid-drives climb better.', usage: USAGE });
  mock.onMessage('Your task: Draft the note', { content: 'Buy a mid-drive if you live on a hill.', usage: USAGE });
  mock.onMessage('You are the synthesizer', { content: 'Mid-drives climb better than hub motors. [motors]\n\nOn a hill, buy a mid-drive. [note]', usage: USAGE });
}

/** 100 input and 20 output tokens per call, in both providers' field names. */
const USAGE = { input_tokens: 100, output_tokens: 20, prompt_tokens: 100, completion_tokens: 20 };

async function runWith(model: ModelSpec) {
  return orchestrate('Advise a commuter on e-bike motors', {
    model,
    modelOptions: { resilience: { retry: { maxRetries: 0 } }, env: {} },
    agents: AGENTS,
    builtinAgents: false,
    seed: 3,
    clock: manualClock(),
  });
}

function expectFullRun(result: Awaited<ReturnType<typeof runWith>>, requests: number, pricePerCall: number) {
  expect(result.tree.tasks.map((t) => [t.id, t.status, t.agents])).toEqual([
    ['motors', 'completed', ['bob']],
    ['note', 'completed', ['cy']],
  ]);
  expect(result.tree.tasks[0]!.output).toBe('Hub motors are quiet; mid-drives climb better.');
  expect(result.output).toBe('Mid-drives climb better than hub motors. [motors]\n\nOn a hill, buy a mid-drive. [note]');
  expect(result.tree.synthesis?.citations.map((c) => c.taskIds)).toEqual([['motors'], ['note']]);
  expect(result.metrics.modelCalls).toBe(requests);
  expect(result.metrics.tokens).toBe(requests * 120);
  expect(result.metrics.costUsd).toBeCloseTo(requests * pricePerCall, 12);
  expect(result.metrics.costUsd).toBeCloseTo(
    result.tree.usage.own.costUsd + result.tree.tasks.reduce((sum, t) => sum + t.usage.subtree.costUsd, 0),
    12,
  );
  expect(result.stoppedBy).toBeUndefined();
}

describe('orchestrate over the real provider SDKs (aimock on loopback)', () => {
  it('Anthropic: plans through the plan tool, runs the workers, synthesizes', async () => {
    team(server().mock, { toolCalls: [{ name: 'plan', arguments: PLAN }] });

    const result = await runWith({ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'test-key', baseURL: server().anthropicBaseURL });

    // claude-haiku-4-5: $1 / $5 per million input / output tokens.
    expectFullRun(result, 4, (100 * 1 + 20 * 5) / 1e6);
    expect(server().modelEntries().every((e) => e.path === '/v1/messages')).toBe(true);
    // The writer got the research result as its input.
    const bodies = server().modelRequests();
    expect(JSON.stringify(bodies[2])).toContain('<input task=\\"motors\\">');
  });

  it('OpenAI: plans through json_schema, runs the workers, synthesizes', async () => {
    team(server().mock, { content: PLAN });

    const result = await runWith({ provider: 'openai', model: 'gpt-4o-mini', apiKey: 'test-key', baseURL: server().openaiBaseURL });

    // gpt-4o-mini: $0.15 / $0.60 per million input / output tokens.
    expectFullRun(result, 4, (100 * 0.15 + 20 * 0.6) / 1e6);
    const [planner] = server().modelRequests();
    expect((planner!.response_format as { type: string }).type).toBe('json_schema');
    expect(server().modelEntries().every((e) => e.path === '/v1/chat/completions')).toBe(true);
  });
});
