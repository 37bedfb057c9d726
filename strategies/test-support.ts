/**
 * Test fixtures for the strategies (test-only): a Runtime over the scripted model, agents, matching
 * and a CoordinationContext whose `runAgent` is one model call. Not part of the public API.
 */
import type { AgentDefinition, AgentMatch, AgentPriority, AgentRegistry, AgentRunResult } from '../src/agents/types.js';
import { createMatcher } from '../src/agents/matcher.js';
import { createEventBus } from '../src/events/bus.js';
import type { TaskforceEvent } from '../src/events/types.js';
import { modelFromProvider } from '../src/model/model.js';
import { scriptedModel, type ScriptFn, type ScriptedModel } from '../src/model/scripted.js';
import type { ProviderRequest } from '../src/model/types.js';
import { TaskSpec, type TaskSpecInput } from '../src/plan/types.js';
import { createBudgetTracker } from '../src/runtime/budget.js';
import { memoryStore } from '../src/store/memory-store.js';
import { createWorkContext } from '../src/runtime/work-scope.js';
import type { Runtime } from '../src/runtime/runtime-types.js';
import type { Store } from '../src/store/kv-store.js';
import type { CoordinationContext } from './strategy.js';
import { manualClock } from '../src/util/clock.js';
import { sequentialIds } from '../src/util/ids.js';
import { seededRandom } from '../src/util/random.js';
import { capabilityCoverage } from './hierarchy-rules.js';

/** An agent whose system prompt is `You are <name>.` (so a script can tell agents apart). */
export function testAgent(name: string, capabilities: readonly string[], extra: { priority?: AgentPriority; description?: string } = {}): AgentDefinition {
  return {
    name,
    description: extra.description ?? `${name} agent`,
    systemPrompt: `You are ${name}.`,
    capabilities,
    ...(extra.priority ? { priority: extra.priority } : {}),
    metadata: {},
    source: 'code',
  };
}

/** The agent a request is for (from the `You are <name>.` system prompt), or undefined for a runtime-level call. */
export function agentOf(request: ProviderRequest): string | undefined {
  return /^You are ([^.]+)\./.exec(request.system ?? '')?.[1];
}

/** What kind of call a request is: the structured schema name (`vote`, `bid`, `split`, `answer_groups`, `grade`) or `run`. */
export function callKind(request: ProviderRequest): string {
  return request.responseFormat?.name ?? 'run';
}

/** The text of the last user message. */
export function lastPrompt(request: ProviderRequest): string {
  return request.messages.at(-1)?.content ?? '';
}

function registry(agents: readonly AgentDefinition[]): AgentRegistry {
  const byName = new Map(agents.map((a) => [a.name, a]));
  return {
    get: (name) => byName.get(name),
    require(name) {
      const agent = byName.get(name);
      if (!agent) throw new Error(`unknown agent ${name}`);
      return agent;
    },
    list: () => agents,
    has: (name) => byName.has(name),
  };
}

/** Candidates as a simple matcher would rank them: by capability coverage, then input order. */
export function matchAgents(agents: readonly AgentDefinition[], task: Pick<TaskSpec, 'capabilities'>): AgentMatch[] {
  return agents
    .map((agent, index) => ({ agent, index, coverage: capabilityCoverage(agent.capabilities, task.capabilities) }))
    .sort((a, b) => b.coverage - a.coverage || a.index - b.index)
    .map(({ agent, coverage }) => ({ agent, score: coverage, capabilityCoverage: coverage, textRelevance: 0, reason: `covers ${coverage}` }));
}

export interface TestRuntime {
  readonly runtime: Runtime;
  readonly model: ScriptedModel;
  readonly events: TaskforceEvent[];
}

/** A Runtime whose every model is one scripted model driven by `reply`. */
export function testRuntime(options: {
  readonly reply: ScriptFn;
  readonly agents: readonly AgentDefinition[];
  readonly seed?: number;
  readonly store?: Store;
  readonly maxDepth?: number;
}): TestRuntime {
  const clock = manualClock();
  const events: TaskforceEvent[] = [];
  const bus = createEventBus({ clock });
  bus.on((e) => events.push(e));
  const ids = sequentialIds();
  const provider = scriptedModel({ replies: options.reply });
  const model = modelFromProvider(provider, { clock, ids, events: bus });
  const controller = new AbortController();
  const budget = createBudgetTracker({}, { clock, events: bus });
  const runtime: Runtime = {
    id: 'runtime_test',
    models: { planner: model, worker: model, synthesizer: model, forAgent: () => model, base: { planner: model, worker: model, synthesizer: model, forAgent: () => model } },
    agents: registry(options.agents),
    matcher: createMatcher(options.agents),
    tools: new Map(),
    toolAccess: { grants: new Map() },
    events: bus,
    clock,
    random: seededRandom(options.seed ?? 1),
    ids,
    budget,
    limits: {
      concurrency: 4,
      maxDepth: options.maxDepth ?? 2,
      maxAgents: 100,
      toolTimeoutMs: 1000,
      maxSteps: 4,
      allowHooks: false,
      hookTimeoutMs: 1000,
    },
    store: options.store ?? memoryStore(),
    slot: (fn) => fn(),
    signal: controller.signal,
    work: createWorkContext({ depth: -1, maxDepth: options.maxDepth ?? 2, budget, signal: controller.signal, runId: 'runtime_test', maxAgents: 100, events: bus }),
  };
  return { runtime, model: provider, events };
}

/** A TaskSpec with defaults filled. */
export function testTask(input: Partial<TaskSpecInput> = {}): TaskSpec {
  return TaskSpec.parse({ id: 'task-1', title: 'The task', instructions: 'Do the task.', ...input });
}

/** A CoordinationContext whose `runAgent` makes one model call with the agent's system prompt. */
export function testContext(
  runtime: Runtime,
  task: TaskSpec,
  options: { readonly candidates?: readonly AgentMatch[]; readonly depth?: number; readonly goal?: string; readonly inputs?: Record<string, string> } = {},
): CoordinationContext {
  const depth = options.depth ?? 0;
  return {
    goal: options.goal ?? 'The goal',
    task,
    candidates: options.candidates ?? matchAgents(runtime.agents.list(), task),
    inputs: options.inputs ?? {},
    modelFor: (agent) => runtime.models.forAgent(agent),
    judgeModel: runtime.models.synthesizer,
    store: runtime.store,
    random: runtime.random,
    clock: runtime.clock,
    events: runtime.events,
    signal: runtime.signal,
    depth,
    depthLeft: runtime.limits.maxDepth - depth,
    async runAgent(agent, prompt): Promise<AgentRunResult> {
      const started = runtime.clock.now();
      const model = runtime.models.forAgent(agent);
      const result = await model.generate({ system: agent.systemPrompt, prompt, signal: runtime.signal });
      return {
        output: result.text,
        agent: agent.name,
        usage: result.usage,
        costUsd: result.costUsd,
        steps: [{ index: 0, text: result.text, toolCalls: [], usage: result.usage, costUsd: result.costUsd, model: result.modelId }],
        durationMs: runtime.clock.now() - started,
        finishReason: result.stopReason === 'max_tokens' ? 'max_steps' : 'final',
      };
    },
  };
}

/** A result's decision record, read as the shape a test expects. */
export function decisionOf<T>(result: { readonly decision: unknown }): T {
  return result.decision as T;
}
