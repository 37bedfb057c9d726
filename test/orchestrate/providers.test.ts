import type { FixtureFileResponse } from '@copilotkit/aimock';
import { ChatOpenAI } from '@langchain/openai';
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/model/spec.js';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { runsOf } from '../../src/orchestrate/metrics.js';
import type { NodeUsage, RunNode, TaskNode } from '../../src/orchestrate/types.js';
import { manualClock } from '../../src/util/clock.js';
import { useAimock, type AimockServer } from '../support/aimock.js';
import { AGENTS } from './helpers.js';

const server = useAimock();

/** One planned task, in the planner's JSON. */
const planned = (id: string, title: string, instructions: string, capabilities: string[], more: object = {}) => ({
  id,
  title,
  instructions,
  capabilities,
  dependsOn: [],
  priority: 'high',
  effort: 1,
  decomposable: false,
  ...more,
});

/** The top goal: `motors` is planned again one level deeper; the writer of `note` delegates a sub-goal. */
const TOP_PLAN = JSON.stringify({
  tasks: [
    planned('motors', 'Research motors', 'Compare hub and mid-drive motors.', ['research'], { decomposable: true }),
    planned('note', 'Draft the note', 'Write a short buying note from the comparison.', ['writing'], { dependsOn: ['motors'] }),
  ],
});
const MOTORS_PLAN = JSON.stringify({
  tasks: [planned('hub', 'Hub motors', 'Hub motors on hills.', ['research']), planned('mid', 'Mid-drives', 'Mid-drive motors on hills.', ['research'])],
});
const PRICES_PLAN = JSON.stringify({ tasks: [planned('prices', 'Shop prices', 'List local prices.', ['research'])] });
const DELEGATED_GOAL = 'Check local bike shop prices';

const MOTORS_ANSWER = 'Hub motors are quiet. [hub]\n\nMid-drives climb better. [mid]';
const FINAL_ANSWER = 'Mid-drives climb better than hub motors. [motors]\n\nOn a hill, buy a mid-drive for about $2,000. [note]';

/** 100 input and 20 output tokens per call, in both wire formats' field names. */
const USAGE = { input_tokens: 100, output_tokens: 20, prompt_tokens: 100, completion_tokens: 20 };
const MODEL_CALLS = 10;

interface SdkCase {
  readonly name: string;
  model(server: AimockServer): ModelSpec;
  /** How structured output (the plan) comes back through this SDK. */
  structured(json: string): FixtureFileResponse;
  /** Dollars per call of 100 input and 20 output tokens. */
  readonly pricePerCall: number;
  readonly path: string;
}

/** Each real SDK, pointed at aimock on loopback. LangChain runs its own ChatOpenAI over the OpenAI wire. */
const SDKS: readonly SdkCase[] = [
  {
    name: 'Anthropic (@anthropic-ai/sdk)',
    model: (s) => ({ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'test-key', baseURL: s.anthropicBaseURL }),
    // The adapter forces a tool named after the schema.
    structured: (json) => ({ toolCalls: [{ name: 'plan', arguments: json }] }),
    // claude-haiku-4-5: $1 / $5 per million input / output tokens.
    pricePerCall: (100 * 1 + 20 * 5) / 1e6,
    path: '/v1/messages',
  },
  {
    name: 'OpenAI (openai)',
    model: (s) => ({ provider: 'openai', model: 'gpt-4o-mini', apiKey: 'test-key', baseURL: s.openaiBaseURL }),
    // json_schema response format: the JSON is the content.
    structured: (json) => ({ content: json }),
    // gpt-4o-mini: $0.15 / $0.60 per million input / output tokens.
    pricePerCall: (100 * 0.15 + 20 * 0.6) / 1e6,
    path: '/v1/chat/completions',
  },
  {
    name: 'LangChain (@langchain/openai ChatOpenAI)',
    model: (s) => ({
      provider: 'langchain',
      model: new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'test-key', maxRetries: 0, configuration: { baseURL: s.openaiBaseURL } }),
    }),
    // Over a tool-calling chat model the adapter forces a tool named after the schema.
    structured: (json) => ({ toolCalls: [{ name: 'plan', arguments: json }] }),
    pricePerCall: (100 * 0.15 + 20 * 0.6) / 1e6,
    path: '/v1/chat/completions',
  },
];

/** Fixtures for every request of the run. Most specific first: aimock answers with the first match. */
function script(mock: AimockServer['mock'], sdk: SdkCase): void {
  const reply = (response: FixtureFileResponse): FixtureFileResponse => ({ ...response, usage: USAGE });
  // Planners, by the goal being planned (a sub-goal's planner prompt also quotes the parent goal, later on).
  mock.onMessage(/You are the planner[\s\S]*# Goal\s+Research motors/, reply(sdk.structured(MOTORS_PLAN)));
  mock.onMessage(new RegExp(`You are the planner[\\s\\S]*# Goal\\s+${DELEGATED_GOAL}`), reply(sdk.structured(PRICES_PLAN)));
  mock.onMessage(/You are the planner[\s\S]*# Goal\s+Advise a commuter/, reply(sdk.structured(TOP_PLAN)));
  // Workers.
  mock.onMessage('Your task: Hub motors', reply({ content: 'Hub motors are quiet but weak on climbs.' }));
  mock.onMessage('Your task: Mid-drives', reply({ content: 'Mid-drives use the gears and climb better.' }));
  mock.onMessage('Your task: Shop prices', reply({ content: 'Mid-drives cost about $2,000 locally.' }));
  mock.on({ userMessage: 'Your task: Draft the note', hasToolResult: false }, reply({ toolCalls: [{ name: 'delegate', arguments: { goal: DELEGATED_GOAL } }] }));
  mock.on({ userMessage: 'Your task: Draft the note', hasToolResult: true }, reply({ content: 'Buy a mid-drive (about $2,000) if you live on a hill.' }));
  // Synthesizers (the delegated sub-run has one result, passed through without a call).
  mock.onMessage(/You are the synthesizer[\s\S]*## Goal\s+Research motors/, reply({ content: MOTORS_ANSWER }));
  mock.onMessage(/You are the synthesizer[\s\S]*## Goal\s+Advise a commuter/, reply({ content: FINAL_ANSWER }));
}

/** Calls, tokens and cost of a node's usage (the `usage` breakdown is summed the same way). */
const figures = (u: NodeUsage) => ({ modelCalls: u.modelCalls, tokens: u.tokens, costUsd: u.costUsd });

/** Every node's subtree is its own spend plus its children's subtrees, at every level. */
function expectRollUp(run: RunNode): void {
  const check = (node: RunNode | TaskNode, children: readonly NodeUsage[]) => {
    const sum = children.reduce(
      (s, c) => ({ modelCalls: s.modelCalls + c.modelCalls, tokens: s.tokens + c.tokens, costUsd: s.costUsd + c.costUsd }),
      figures(node.usage.own),
    );
    expect(figures(node.usage.subtree)).toEqual({ ...sum, costUsd: expect.closeTo(sum.costUsd, 12) });
  };
  check(run, run.tasks.map((t) => t.usage.subtree));
  for (const task of run.tasks) {
    check(task, task.subRuns.map((r) => r.usage.subtree));
    for (const sub of task.subRuns) expectRollUp(sub);
  }
}

describe.each(SDKS)('orchestrate end to end through $name against aimock on loopback', (sdk) => {
  it('plans, recurses (decomposable task and delegate tool), synthesizes, and rolls usage and cost up every node', async () => {
    script(server().mock, sdk);

    const result = await orchestrate('Advise a commuter on e-bike motors', {
      model: sdk.model(server()),
      modelOptions: { resilience: { retry: { maxRetries: 0 } }, env: {} },
      agents: AGENTS,
      builtinAgents: false,
      maxDepth: 1,
      seed: 3,
      clock: manualClock(),
    });

    expect(result.stoppedBy).toBeUndefined();
    expect(result.caps).toEqual([]);
    expect(result.output).toBe(FINAL_ANSWER);
    expect(result.tree.synthesis?.citations.map((c) => c.taskIds)).toEqual([['motors'], ['note']]);

    // The tree: `motors` became a sub-run; the writer of `note` delegated a sub-goal through the tool.
    const [motors, note] = result.tree.tasks;
    expect(motors).toMatchObject({ status: 'completed', mode: 'sub-run', output: MOTORS_ANSWER });
    expect(motors!.subRuns[0]!.tasks.map((t) => [t.id, t.status, t.output])).toEqual([
      ['hub', 'completed', 'Hub motors are quiet but weak on climbs.'],
      ['mid', 'completed', 'Mid-drives use the gears and climb better.'],
    ]);
    expect(note).toMatchObject({ status: 'completed', mode: 'agents', agents: ['cy'], output: 'Buy a mid-drive (about $2,000) if you live on a hill.' });
    expect(note!.subRuns.map((r) => [r.goal, r.depth, r.output])).toEqual([[DELEGATED_GOAL, 1, 'Mid-drives cost about $2,000 locally.']]);
    expect(runsOf(result.tree).map((r) => r.depth)).toEqual([0, 1, 1]);
    expect(result.lineage.runs.map((r) => r.parent?.taskId ?? null)).toEqual([null, 'motors', 'note']);

    // Every request went through this SDK; the writer saw the delegate tool and got the sub-run's answer back.
    const entries = server().modelEntries();
    expect(entries).toHaveLength(MODEL_CALLS);
    expect(entries.every((e) => e.path === sdk.path)).toBe(true);
    const writer = server().modelRequests().filter((body) => JSON.stringify(body).includes('Your task: Draft the note'));
    expect(writer).toHaveLength(2);
    expect(JSON.stringify(writer[0]!.tools)).toContain('"delegate"');
    expect(JSON.stringify(writer[1]!.messages)).toContain('Mid-drives cost about $2,000 locally.');

    // Usage and cost: each node its own and its subtree's; the root's subtree is every request made.
    expect(result.metrics).toMatchObject({ modelCalls: MODEL_CALLS, tokens: MODEL_CALLS * 120, maxDepthReached: 1, runs: 3, agentsSpawned: 4 });
    expect(result.metrics.costUsd).toBeCloseTo(MODEL_CALLS * sdk.pricePerCall, 12);
    expectRollUp(result.tree);
    // Top run: planner + synthesizer. `motors`: nothing of its own, its sub-run's 4 calls. `note`: the writer's
    // two turns, plus the delegated sub-run's planner and worker.
    expect(result.tree.usage.own.modelCalls).toBe(2);
    expect([motors!.usage.own.modelCalls, motors!.usage.subtree.modelCalls]).toEqual([0, 4]);
    expect([note!.usage.own.modelCalls, note!.usage.subtree.modelCalls]).toEqual([2, 4]);
    expect(note!.usage.own.costUsd).toBeCloseTo(2 * sdk.pricePerCall, 12);
  });
});
