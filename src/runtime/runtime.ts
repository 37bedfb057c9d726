import { setMaxListeners } from 'node:events';
import { builtinAgents as loadBuiltinAgents } from '../agents/builtin.js';
import { loadAgents } from '../agents/load.js';
import { createMatcher, type AgentMatcher } from '../agents/matcher.js';
import { withBuiltins } from '../agents/override.js';
import { createAgentRegistry } from '../agents/registry.js';
import type { ApproveToolCall, ToolAccess } from '../agents/tool-selection.js';
import type { AgentDefinition, AgentRegistry } from '../agents/types.js';
import { AbortedError, ConfigError } from '../errors/taskforce-error.js';
import { createEventBus, type EventBus } from '../events/bus.js';
import type { TaskforceEvent } from '../events/types.js';
import type { Tool } from '../tools/types.js';
import { withClaudeCodeTools, type ClaudeCodeToolsOptions } from '../tools/claude-code/index.js';
import { parseMcpServers, type McpServers } from '../mcp-client/config.js';
import { connectMcpServers } from '../mcp-client/connect.js';
import { systemClock, type Clock } from '../util/clock.js';
import { randomIds, sequentialIds, type IdGenerator } from '../util/ids.js';
import { seededRandom, systemRandom, type Random } from '../util/random.js';
import { createBudgetTracker, type Budgets } from './budget.js';
import { fileStore } from '../store/file-store.js';
import { memoryStore } from '../store/memory-store.js';
import { createRuntimeModels, type ModelInput } from './runtime-models.js';
import { modelFactory, type RuntimeModelOptions } from './model-factory.js';
import { createBreakerRegistry } from '../model/resilience/breaker.js';
import type { ModelSpec } from '../model/spec.js';
import type { Runtime, RuntimeLimits } from './runtime-types.js';
import type { Store } from '../store/kv-store.js';
import type { RunStore } from '../store/run-store.js';
import { openRunStore } from '../store/open-run-store.js';
import { createWorkContext } from './work-scope.js';

/** What `createRuntime` takes. Every field is optional. */
export interface RuntimeConfig {
  /**
   * The model every role uses unless `models` says otherwise: a `Model`, a spec
   * (`"anthropic:claude-sonnet-5-5"`) or a `createModel` config. Absent: `TASKFORCE_MODEL`.
   */
  readonly model?: ModelInput<ModelSpec>;
  /** Per-role models; planner and synthesizer fall back to the worker, the worker to `model`. */
  readonly models?: {
    readonly planner?: ModelInput<ModelSpec>;
    readonly worker?: ModelInput<ModelSpec>;
    readonly synthesizer?: ModelInput<ModelSpec>;
  };
  /** Passed to `createModel` for every model built from a spec: prices, retries / rate limits / timeout, cassette, env. */
  readonly modelOptions?: RuntimeModelOptions;
  /** Agents defined in code, or a ready registry (used as is: then `agentsDir` and `builtinAgents` must be absent). */
  readonly agents?: readonly AgentDefinition[] | AgentRegistry;
  /**
   * Folders (or `.md` files) of agent definitions to load. An invalid file is skipped with a `log`
   * warning naming its file, line and field, unless `strictAgents` is set.
   */
  readonly agentsDir?: string | readonly string[];
  /** Fail (with the file's `AgentDefinitionError`) on any invalid file in `agentsDir`. Default false. */
  readonly strictAgents?: boolean;
  /**
   * Include the built-in agent library (default true). Your agents replace built-ins of the same name,
   * each with a `log` info event naming both sources.
   */
  readonly builtinAgents?: boolean;
  readonly tools?: readonly Tool[];
  /**
   * Adds Claude Code's built-in tools (`Read`, `Write`, `Edit`, `Glob`, `Grep`, `Bash`, `WebFetch`),
   * confined to `root`, so agent files written for Claude Code run with the tools they declare. Your
   * `tools` of the same names win. `Write`, `Edit` and `Bash` are side-effecting: an agent gets them
   * when its own `tools` list names them (or through `toolGrants`), never by default.
   */
  readonly workspace?: ClaudeCodeToolsOptions;
  /**
   * MCP servers whose tools agents may use, as harnesses write them in `.mcp.json`:
   * `{ github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: {...} } }` or
   * `{ docs: { type: 'http', url: 'https://…/mcp' } }`. The runtime connects on creation and adds each
   * server's tools as `mcp__<server>__<tool>`; they are side-effecting (granted by an agent's `tools`
   * list or `toolGrants`) unless the server marks them `readOnlyHint`. `close()` closes the clients. A
   * server that cannot start is a `ConfigError` naming it and its command.
   */
  readonly mcpServers?: McpServers;
  /**
   * Side-effecting tools (`sideEffects: true`) granted to agents by name, on top of what each agent's
   * own `tools` list grants: `{ writer: ['save_file'] }`. An agent with no `tools` list (every built-in)
   * otherwise gets read-only tools only. A grant cannot widen an agent's own lists: the agent's
   * `tools` list (if any) must name the tool and its `disallowedTools` must not. An unknown agent or
   * tool, or a grant the agent's lists block, is a `ConfigError`.
   */
  readonly toolGrants?: Readonly<Record<string, readonly string[]>>;
  /**
   * Asked before each call of a side-effecting tool that no grant covers: with it, such tools are
   * offered to the agents whose lists allow them, and a call runs only when this returns `true`; any
   * other answer (or a throw) refuses the call with an error result the model reads. Without it, such
   * tools are not offered at all.
   */
  readonly approveToolCall?: ApproveToolCall;
  readonly limits?: Partial<RuntimeLimits>;
  readonly budgets?: Budgets;
  /** Makes randomness and ids reproducible: `random = seededRandom(seed)`, `ids = sequentialIds()`. */
  readonly seed?: number | string;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly ids?: IdGenerator;
  /** Receives every event of the runtime. */
  readonly onEvent?: (event: TaskforceEvent) => void;
  /** Closes the runtime when it fires: work in flight stops with `AbortedError`. */
  readonly signal?: AbortSignal;
  readonly store?: Store;
  /**
   * Keeps the store (reputations, pheromone trails) in this JSON file, so what the learning
   * strategies learn carries over to later runs. Ignored when `store` is given.
   */
  readonly storePath?: string;
  /**
   * The run store (a `RunStore`, or a database path opened here and closed with the runtime): durable
   * runs on this runtime journal into it by default, and its `kv` is the runtime's `store` (unless
   * `store` is given), so what the learning strategies learn is kept in the same database.
   */
  readonly runStore?: RunStore | string;
}

/** A runtime you created and may close. */
export interface ManagedRuntime extends Runtime {
  /**
   * Aborts everything in flight and refuses new work (`runtime.signal` fires), then writes the store
   * if it is durable. Idempotent.
   */
  close(reason?: unknown): Promise<void>;
}

/** Limits used when the config leaves them out. */
export const DEFAULT_LIMITS: RuntimeLimits = Object.freeze({
  concurrency: 8,
  maxDepth: 3,
  maxAgents: 200,
  toolTimeoutMs: 60_000,
  maxSteps: 20,
  allowHooks: false,
  hookTimeoutMs: 10_000,
});

/**
 * Creates the runtime everything runs through: models (budget-guarded), agents, tools, limits, budgets,
 * events, clock, randomness, ids and store. Two runtimes share nothing. Async because agent files are
 * read here, so a bad file fails now with its path and line, not in the middle of a run.
 *
 * @example
 * ```ts
 * import { createRuntime } from 'taskforce-agents';
 *
 * const runtime = await createRuntime({
 *   model: 'anthropic:claude-haiku-4-5',
 *   limits: { concurrency: 4 },
 *   budgets: { maxCostUsd: 0.5 },
 *   onEvent: (e) => console.error(e.type),
 * });
 * ```
 */
export async function createRuntime(config: RuntimeConfig = {}): Promise<ManagedRuntime> {
  const limits = resolveLimits(config.limits);
  const clock = config.clock ?? systemClock();
  const random = config.random ?? (config.seed !== undefined ? seededRandom(config.seed) : systemRandom());
  const ids = config.ids ?? (config.seed !== undefined ? sequentialIds() : randomIds(random));
  const events = createEventBus({
    clock,
    // A listener's bug must not change the run, but must not vanish either.
    onListenerError: (error) => process.emitWarning(`taskforce: an event listener threw: ${String(error)}`),
  });
  if (config.onEvent) events.on(config.onEvent);

  const mcp = config.mcpServers !== undefined ? await connectMcpServers(parseMcpServers(config.mcpServers)) : undefined;
  let tools: ReadonlyMap<string, Tool>, agents: AgentRegistry, toolAccess: ToolAccess;
  try {
    tools = toolMap([...withClaudeCodeTools(config.tools ?? [], config.workspace), ...(mcp?.tools ?? [])]);
    agents = await resolveAgents(config, events);
    toolAccess = resolveToolAccess(config, tools, agents);
  } catch (error) {
    // The servers' processes must not outlive a runtime that was never returned.
    await mcp?.close();
    throw error;
  }
  const budget = createBudgetTracker(config.budgets ?? {}, { clock, events });
  // One registry per runtime: its models share a breaker per endpoint; two runtimes never share one.
  const breakers = createBreakerRegistry();
  const controller = new AbortController();
  const slot = createSlots(limits.concurrency, controller.signal, events);
  const models = createRuntimeModels(config, {
    factory: modelFactory({ clock, random, ids, events, breakers }, config.modelOptions),
    budget,
    slot,
    events,
  });

  const ownedRunStore = typeof config.runStore === 'string' ? await openRunStore({ path: config.runStore }) : undefined;
  const runStore = ownedRunStore ?? (config.runStore as RunStore | undefined);
  const store = config.store ?? runStore?.kv ?? (config.storePath ? fileStore(config.storePath) : memoryStore());
  const id = ids.next('runtime');
  const signal = limitsDeadline(controller.signal, budget.signal);
  const work = createWorkContext({ depth: -1, maxDepth: limits.maxDepth, budget, signal, runId: id, maxAgents: limits.maxAgents, events });
  const callerSignal = config.signal;
  const onCallerAbort = () => void close(callerSignal?.reason);
  const close = async (reason?: unknown) => {
    // The caller's signal may outlive this runtime (one signal for many runtimes): let go of it.
    callerSignal?.removeEventListener('abort', onCallerAbort);
    if (!controller.signal.aborted) controller.abort(reason ?? new AbortedError('the runtime was closed'));
    budget.dispose();
    work.close();
    await Promise.all([store.flush(), mcp?.close()]);
    await ownedRunStore?.close();
  };
  if (callerSignal) {
    if (callerSignal.aborted) void close(callerSignal.reason);
    else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
  }

  let matcher: AgentMatcher | undefined;
  return {
    id,
    models,
    agents,
    get matcher() {
      return (matcher ??= createMatcher(agents.list()));
    },
    tools,
    toolAccess,
    events,
    clock,
    random,
    ids,
    budget,
    limits,
    store,
    ...(runStore ? { runStore } : {}),
    slot,
    // Closing the runtime and its budget's deadline both stop its work.
    signal,
    work,
    close,
  };
}

function resolveLimits(overrides: Partial<RuntimeLimits> = {}): RuntimeLimits {
  const limits = { ...DEFAULT_LIMITS, ...dropUndefined(overrides) };
  const positiveInt = ['concurrency', 'maxAgents', 'maxSteps'] as const;
  for (const key of positiveInt)
    if (!Number.isInteger(limits[key]) || limits[key] < 1)
      throw new ConfigError(`limits.${key} must be a positive integer, got ${String(limits[key])}`);
  if (!Number.isInteger(limits.maxDepth) || limits.maxDepth < 0)
    throw new ConfigError(`limits.maxDepth must be a non-negative integer, got ${String(limits.maxDepth)}`);
  for (const key of ['toolTimeoutMs', 'hookTimeoutMs'] as const)
    if (!(limits[key] > 0)) throw new ConfigError(`limits.${key} must be a positive number of ms, got ${String(limits[key])}`);
  if (typeof limits.allowHooks !== 'boolean')
    throw new ConfigError(`limits.allowHooks must be true or false, got ${String(limits.allowHooks)}`);
  return Object.freeze(limits);
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function toolMap(tools: readonly Tool[]): ReadonlyMap<string, Tool> {
  const map = new Map<string, Tool>();
  for (const tool of tools) {
    if (map.has(tool.name)) throw new ConfigError(`two tools are named "${tool.name}"; tool names must be unique in a runtime`);
    map.set(tool.name, tool);
  }
  return map;
}

/** Checks `toolGrants` and `approveToolCall` against the runtime's tools and agents. */
function resolveToolAccess(config: RuntimeConfig, tools: ReadonlyMap<string, Tool>, agents: AgentRegistry): ToolAccess {
  const { toolGrants, approveToolCall } = config;
  if (approveToolCall !== undefined && typeof approveToolCall !== 'function')
    throw new ConfigError(`approveToolCall must be a function, got ${typeof approveToolCall}`);
  if (toolGrants !== undefined && (typeof toolGrants !== 'object' || toolGrants === null || Array.isArray(toolGrants)))
    throw new ConfigError('toolGrants must be an object of agent name → tool names, e.g. { writer: ["save_file"] }');
  const grants = new Map<string, ReadonlySet<string>>();
  for (const [agentName, names] of Object.entries(toolGrants ?? {})) {
    const agent = agents.get(agentName);
    if (!agent)
      throw new ConfigError(`toolGrants names agent "${agentName}", which this runtime does not have (agents: ${agents.list().map((a) => a.name).join(', ') || 'none'})`);
    if (!Array.isArray(names) || names.some((name) => typeof name !== 'string'))
      throw new ConfigError(`toolGrants.${agentName} must be a list of tool names`);
    for (const name of names as readonly string[]) {
      if (!tools.has(name))
        throw new ConfigError(`toolGrants.${agentName} names tool "${name}", which this runtime does not have (tools: ${[...tools.keys()].join(', ') || 'none'})`);
      if (agent.tools !== undefined && !agent.tools.includes(name))
        throw new ConfigError(`toolGrants.${agentName} grants "${name}", but the tools list of agent "${agentName}" (${agent.source}) does not name it; a grant cannot widen it`);
      if (agent.disallowedTools?.includes(name))
        throw new ConfigError(`toolGrants.${agentName} grants "${name}", but agent "${agentName}" (${agent.source}) lists it in disallowedTools`);
    }
    grants.set(agentName, new Set(names));
  }
  return { grants, ...(approveToolCall ? { approve: approveToolCall } : {}) };
}

function isRegistry(value: RuntimeConfig['agents']): value is AgentRegistry {
  return value !== undefined && !Array.isArray(value) && typeof (value as AgentRegistry).require === 'function';
}

async function resolveAgents(config: RuntimeConfig, events: EventBus): Promise<AgentRegistry> {
  if (isRegistry(config.agents)) {
    if (config.agentsDir !== undefined || config.builtinAgents === true)
      throw new ConfigError('`agents` is a registry, which is used as is: leave out `agentsDir` and `builtinAgents`, or pass agents as a list');
    return config.agents;
  }
  const own: AgentDefinition[] = [];
  if (config.agentsDir !== undefined) {
    const loaded = await loadAgents(config.agentsDir, {
      strict: config.strictAgents === true,
      onWarning: (warning) => events.emit({ type: 'log', level: 'warn', message: warning.message }),
      onProblem: (problem) => events.emit({ type: 'log', level: 'warn', message: `skipped invalid agent file ${problem.message}` }),
    });
    own.push(...loaded.agents);
  }
  own.push(...((config.agents as readonly AgentDefinition[] | undefined) ?? []));
  // Duplicates among your own agents are errors (the registry names both sources); a built-in of the
  // same name is replaced, as project agents override user agents in Claude Code, and the log says so.
  const merged = withBuiltins(own, config.builtinAgents === false ? [] : await loadBuiltinAgents());
  for (const override of merged.overrides) events.emit({ type: 'log', level: 'info', message: override.message });
  return createAgentRegistry(merged.agents);
}

/**
 * The runtime's slots: every task and `Task()` model call takes one. A call starts at once when a slot
 * is free, else waits in line (first come, first served) and is handed the slot of a call that ends.
 * Calling `slot` from inside a slot can deadlock when all slots are taken; nested work (sub-agents)
 * must not hold its parent's slot while waiting for its own.
 *
 * Lighter than p-limit, which matters with thousands of runs in flight: a running call holds nothing
 * here but one reaction on its own promise, which the caller gets as it is.
 */
function createSlots(capacity: number, signal: AbortSignal, events: EventBus): Runtime['slot'] {
  /** Slots held by running calls or handed to a waiter that has not started yet. */
  let taken = 0;
  /** Calls running in a slot: what the `resource.*` events report. */
  let inUse = 0;
  const line = createLine<() => void>();
  const handOver = (): void => {
    const next = line.take();
    if (next) next();
    else taken -= 1;
  };
  const ended = (): void => {
    inUse -= 1;
    if (events.hasListeners()) events.emit({ type: 'resource.released', resource: 'slot', inUse, capacity });
    handOver();
  };
  /** Runs `fn` in a slot already taken for it. */
  const enter = <T>(fn: () => Promise<T>): Promise<T> => {
    if (signal.aborted) {
      handOver();
      return Promise.reject(new AbortedError('the runtime is closed', { cause: signal.reason }));
    }
    inUse += 1;
    if (events.hasListeners()) events.emit({ type: 'resource.allocated', resource: 'slot', inUse, capacity });
    let running: Promise<T>;
    try {
      running = Promise.resolve(fn());
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(ended, ended);
    return running;
  };
  // `then` is called here, so `fn` runs in its caller's async context (a Task()'s work scope), not in
  // that of the call whose end hands it the slot; and a reaction holds less than a suspended async frame.
  const wait = <T>(fn: () => Promise<T>): Promise<T> => new Promise<void>((resolve) => line.put(resolve)).then(() => enter(fn));
  return <T>(fn: () => Promise<T>): Promise<T> => {
    if (taken >= capacity) return wait(fn);
    taken += 1;
    return enter(fn);
  };
}

/** A first-in, first-out line with O(1) `put` and `take`, however long it gets. */
function createLine<T>(): { put(item: T): void; take(): T | undefined } {
  let items: (T | undefined)[] = [];
  let head = 0;
  return {
    put: (item) => void items.push(item),
    take() {
      if (head === items.length) return undefined;
      const item = items[head];
      items[head++] = undefined;
      // Drop the taken front once it is most of the array.
      if (head === items.length || (head >= 1024 && head * 2 >= items.length)) {
        items = items.slice(head);
        head = 0;
      }
      return item;
    },
  };
}

/** The runtime's signal: closed, or past its budget's deadline (a signal that never fires when there is none). */
function limitsDeadline(closed: AbortSignal, deadline: AbortSignal): AbortSignal {
  const signal = AbortSignal.any([closed, deadline]);
  // Every call on the runtime that waits (a sleep, a model call, a slot) listens on this signal until
  // it is done, so many listeners at once is normal here, not the leak Node warns about past 10.
  setMaxListeners(0, signal);
  return signal;
}
