import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../src/agents/define.js';
import { createTaskforce, type Taskforce } from '../../src/api/create-taskforce.js';
import { runTask } from '../../src/api/task.js';
import type { TaskforceEvent } from '../../src/events/types.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel, type ScriptFn } from '../../src/model/scripted.js';
import type { ProviderModel, ProviderRequest } from '../../src/model/types.js';
import type { Runtime } from '../../src/runtime/runtime-types.js';
import { defineTool } from '../../src/tools/define-tool.js';
import { manualClock } from '../../src/util/clock.js';
import { seededRandom } from '../../src/util/random.js';
import { drive } from '../scheduler/drive.js';

/**
 * A randomized check of every limit at once: 1,000 seeded runs whose scripted model tries to recurse
 * (decomposable plans, nested Task() from a tool, delegation), spawn agents, fail structured output,
 * stall and burn tokens, at random caps, budgets and concurrency. Every run is checked for zero
 * violations of depth, agents, concurrency, tokens, dollars and the deadline (exact, on the manual clock).
 */

const PRICE = { input: 2, output: 10 }; // USD per million tokens
const AGENTS = ['ann', 'ben', 'cat'].map((name) => defineAgent({ name, description: `${name} does work`, systemPrompt: `You are ${name}.`, capabilities: ['work'] }));

interface Params {
  readonly seed: number;
  readonly concurrency: number;
  readonly maxDepth: number;
  readonly maxAgents: number;
  readonly maxTokens?: number;
  readonly maxCostUsd?: number;
  readonly maxWallTimeMs?: number;
  readonly strategy: 'direct' | 'auction' | 'consensus' | 'hierarchical' | 'stigmergy';
  readonly entry: 'orchestrate' | 'task';
}

interface Observed {
  depth: number;
  inFlight: number;
  peakInFlight: number;
  tokens: number;
  costUsd: number;
  agents: number;
  endedAt: number;
}

/** A provider that counts what it serves: calls in flight, tokens, dollars (priced as the model layer does). */
function observing(inner: ProviderModel, seen: Observed): ProviderModel {
  return {
    ...inner,
    async doGenerate(request) {
      seen.inFlight += 1;
      seen.peakInFlight = Math.max(seen.peakInFlight, seen.inFlight);
      try {
        const result = await inner.doGenerate(request);
        seen.tokens += result.usage.inputTokens + result.usage.outputTokens;
        seen.costUsd += (result.usage.inputTokens * PRICE.input + result.usage.outputTokens * PRICE.output) / 1_000_000;
        return result;
      } finally {
        seen.inFlight -= 1;
      }
    },
  };
}

/** The adversarial script: what each call answers is drawn from the run's seed. */
function adversary(p: Params, runtime: () => Runtime, seen: Observed): ScriptFn {
  const random = seededRandom(p.seed);
  const pick = () => random.next();
  return (request: ProviderRequest) => {
    seen.depth = Math.max(seen.depth, runtime().work.current().depth);
    const latencyMs = Math.floor(pick() * 40);
    if (request.responseFormat?.name === 'plan') {
      const tasks = Array.from({ length: 1 + Math.floor(pick() * 3) }, (_, i) => ({
        id: `t${i}`,
        title: `Part ${i}`,
        instructions: `Work on part ${i} of ${Math.floor(pick() * 1e6)}.`,
        capabilities: ['work'],
        dependsOn: i > 0 && pick() < 0.3 ? [`t${i - 1}`] : [],
        priority: 'medium',
        effort: 1,
        decomposable: pick() < 0.4,
      }));
      return { text: JSON.stringify({ tasks }), latencyMs };
    }
    // Bids, votes, splits, grades: invalid half the time (the structured-output repair path).
    if (request.responseFormat) return { text: pick() < 0.5 ? 'not json at all' : '{"oops": true}', latencyMs };
    const roll = pick();
    const offered = new Set((request.tools ?? []).map((t) => t.name));
    const answered = request.messages.some((m) => m.role === 'tool');
    if (!answered && roll < 0.25 && offered.has('spawn')) return { toolCalls: [{ name: 'spawn', input: { agent: AGENTS[Math.floor(pick() * 3)]!.name } }], latencyMs };
    if (!answered && roll < 0.35 && offered.has('delegate')) return { toolCalls: [{ name: 'delegate', input: { goal: `Sub-goal ${Math.floor(pick() * 1e6)}` } }], latencyMs };
    if (roll < 0.5) return { text: 'Stalling. '.repeat(5), latencyMs: 200 + Math.floor(pick() * 2000) };
    if (roll < 0.65) return { text: 'burn '.repeat(300 + Math.floor(pick() * 900)), latencyMs };
    return { text: `Answer ${Math.floor(pick() * 1e6)} [t0]`, latencyMs };
  };
}

async function runOnce(p: Params): Promise<{ seen: Observed; p: Params }> {
  const clock = manualClock();
  const seen: Observed = { depth: -1, inFlight: 0, peakInFlight: 0, tokens: 0, costUsd: 0, agents: 0, endedAt: 0 };
  let tf: Taskforce | undefined;
  const scripted = scriptedModel({ clock, replies: adversary(p, () => tf!.runtime, seen) });
  const spawn = defineTool({
    name: 'spawn',
    description: 'Starts another agent on a sub-job (a nested Task()).',
    input: z.object({ agent: z.string() }),
    execute: async ({ agent }) => (await runTask(tf!.runtime, 'spawned', `Sub-job for ${agent}: ${Math.floor(clock.now())}`, agent)).output,
  });
  const budgets = {
    ...(p.maxTokens !== undefined ? { maxTokens: p.maxTokens } : {}),
    ...(p.maxCostUsd !== undefined ? { maxCostUsd: p.maxCostUsd } : {}),
    ...(p.maxWallTimeMs !== undefined ? { maxWallTimeMs: p.maxWallTimeMs } : {}),
  };
  tf = await createTaskforce({
    model: modelFromProvider(observing(scripted, seen), { clock, pricing: { [scripted.modelId]: PRICE } }),
    agents: AGENTS,
    builtinAgents: false,
    tools: [spawn],
    seed: p.seed,
    clock,
    limits: { concurrency: p.concurrency, maxDepth: p.maxDepth, maxAgents: p.maxAgents, maxSteps: 4 },
    budgets,
    onEvent: (event: TaskforceEvent) => {
      if (event.type === 'agent.assigned') seen.agents += 1;
    },
  });
  const work: Promise<unknown> =
    p.entry === 'orchestrate'
      ? tf.orchestrate('Build the thing', { strategy: p.strategy, failurePolicy: 'continue', retry: { maxAttempts: 2, baseDelayMs: 5 } })
      : tf.task('root job', 'Do the root job.', 'ann');
  await drive(clock, work.catch(() => undefined), 100_000);
  seen.endedAt = clock.now();
  await tf.close();
  return { seen, p };
}

const params: fc.Arbitrary<Params> = fc.record(
  {
    seed: fc.integer({ min: 1, max: 2 ** 31 - 2 }),
    concurrency: fc.integer({ min: 1, max: 4 }),
    maxDepth: fc.integer({ min: 0, max: 3 }),
    maxAgents: fc.integer({ min: 1, max: 12 }),
    maxTokens: fc.integer({ min: 200, max: 30_000 }),
    maxCostUsd: fc.double({ min: 0.0005, max: 0.05, noNaN: true }),
    maxWallTimeMs: fc.integer({ min: 20, max: 4000 }),
    strategy: fc.constantFrom('direct', 'auction', 'consensus', 'hierarchical', 'stigmergy'),
    entry: fc.constantFrom('orchestrate', 'task'),
  },
  { requiredKeys: ['seed', 'concurrency', 'maxDepth', 'maxAgents', 'strategy', 'entry'] },
);

describe('every limit holds under adversarial scripted models', () => {
  it('1,000 seeded runs: zero violations of depth, agents, concurrency, tokens, dollars and deadline', async () => {
    const worst = { tokens: 0, costUsd: 0, wallTime: 0, depth: -Infinity, agents: 0, concurrency: 0 };
    const violations: string[] = [];
    await fc.assert(
      fc.asyncProperty(params, async (p) => {
        const { seen } = await runOnce(p);
        const check = (what: string, ok: boolean) => ok || violations.push(`${what} ${JSON.stringify({ p, seen })}`);
        check('depth', seen.depth <= p.maxDepth);
        check('agents', seen.agents <= p.maxAgents);
        check('concurrency', seen.peakInFlight <= p.concurrency);
        if (p.maxTokens !== undefined) check('tokens', seen.tokens <= p.maxTokens);
        if (p.maxCostUsd !== undefined) check('dollars', seen.costUsd <= p.maxCostUsd + 1e-12);
        if (p.maxWallTimeMs !== undefined) check('deadline', seen.endedAt <= p.maxWallTimeMs);
        worst.depth = Math.max(worst.depth, seen.depth - p.maxDepth);
        worst.agents = Math.max(worst.agents, seen.agents / p.maxAgents);
        worst.concurrency = Math.max(worst.concurrency, seen.peakInFlight / p.concurrency);
        if (p.maxTokens !== undefined) worst.tokens = Math.max(worst.tokens, seen.tokens / p.maxTokens);
        if (p.maxCostUsd !== undefined) worst.costUsd = Math.max(worst.costUsd, seen.costUsd / p.maxCostUsd);
        if (p.maxWallTimeMs !== undefined) worst.wallTime = Math.max(worst.wallTime, seen.endedAt - p.maxWallTimeMs);
      }),
      { seed: 20261206, numRuns: Number(process.env.LIMITS_RUNS ?? 1000) },
    );
    if (process.env.LIMITS_REPORT) console.log(JSON.stringify({ runs: Number(process.env.LIMITS_RUNS ?? 1000), violations: violations.length, worst }));
    expect(violations).toEqual([]);
  }, 300_000);
});
