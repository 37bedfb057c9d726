import { ConfigError, AbortedError } from '../errors/taskforce-error.js';
import { EmptyOutputError, RefusalError, TruncatedOutputError } from '../errors/output-errors.js';
import type { GenerateRequest, GenerateResult, Message, Model, ToolSpec, Usage } from '../model/types.js';
import { addUsage, ZERO_USAGE } from '../model/types.js';
import type { EventBus } from '../events/bus.js';
import type { Tool } from '../tools/types.js';
import type { Clock } from '../util/clock.js';
import { generateWithText } from '../model/stream-text.js';
import { linkSignals } from '../util/signals.js';
import { toolSpecOf } from '../tools/define-tool.js';
import { executeToolCall, type ToolCallJournal, type ToolCallOutcome } from '../tools/execute-tool.js';
import { approvalFor, toolsForAgent, type AgentTools, type ToolAccess } from './tool-selection.js';
import { renderDataBlocks } from '../util/data-blocks.js';
import { runHook, type HookInput } from './hooks.js';
import type { AgentDefinition, AgentRunResult, AgentStep } from './types.js';

/**
 * What an agent run needs from where it runs: models, tools, limits, events, clock and a signal. A
 * `Runtime` is one; `orchestrate` passes a view of it scoped to the task.
 */
export interface AgentEnvironment {
  /** The model for an agent, already behind the caller's middleware chain (budgets, slots, tags). */
  readonly models: { forAgent(agent: AgentDefinition): Model };
  readonly tools: ReadonlyMap<string, Tool>;
  /**
   * Grants and the approval hook for side-effecting tools (`RuntimeConfig.toolGrants`,
   * `approveToolCall`). Absent: only agents whose own `tools` list names such a tool get it.
   */
  readonly toolAccess?: ToolAccess;
  readonly limits: {
    /** Model calls in one agent loop when neither the agent nor the caller says fewer. */
    readonly maxSteps: number;
    readonly toolTimeoutMs: number;
    readonly allowHooks: boolean;
    readonly hookTimeoutMs: number;
  };
  readonly events: EventBus;
  readonly clock: Clock;
  /** Stops the run together with the caller's `options.signal`. */
  readonly signal: AbortSignal;
}

/** Options of one agent run. */
export interface RunAgentOptions {
  /**
   * Upper bound on model calls. The agent's `maxTurns` is also an upper bound: the smaller of the two
   * applies, and `runtime.limits.maxSteps` when neither is set.
   */
  readonly maxSteps?: number;
  /**
   * Outputs of other tasks for this one. They go before the prompt, separated by a `---` line, as one
   * labelled data block (`<input task="context">`, see `renderDataBlocks`): the model is told to use
   * them as data, not to follow them as instructions.
   */
  readonly context?: string;
  /** Put on every event of the run, model call events included (with the agent's name). */
  readonly taskId?: string;
  /** Stops the run (with `AbortedError`) together with the runtime's own signal. */
  readonly signal?: AbortSignal;
  /** Use this model instead of the agent's (the caller puts it behind its middleware chain first). */
  readonly model?: Model;
  /** Extra instructions appended after the agent's system prompt (strategies use it to frame a role). */
  readonly system?: string;
  /**
   * Receives the text of each model call as it is written (the calls then stream), with the step it
   * belongs to (1-based): the last step's text is the agent's answer.
   */
  readonly onText?: (text: string, step: number) => void;
  /** A durable run's tool-call journal: calls an earlier process completed are not run again. */
  readonly toolJournal?: ToolCallJournal;
}

/**
 * Runs one agent on one prompt: model call → the tool calls it asked for (in parallel, results in the
 * model's order) → results back as `tool` messages → repeat, until the model answers without tool calls
 * or the step cap is reached (`finishReason: 'max_steps'`, the last text as output, and a `log` warning).
 *
 * The agent may call only the runtime tools its `tools` / `disallowedTools` allow, and side-effecting
 * ones only when granted or approved (`toolsForAgent`): the model is not offered the others, and a call
 * to one is refused with an error result and a `tool.refused` event. Every model call is
 * an `agent.step` event, every tool call a `tool.called` / `tool.completed` pair, the end an
 * `agent.completed` event. Hooks run before and after (see `runHook`). This does not take a runtime
 * slot: callers (`Task()`, the coordinator) decide the unit of concurrency.
 *
 * @throws AbortedError when the signal fires; RefusalError / TruncatedOutputError / EmptyOutputError when
 *   the final answer is a refusal, was cut at max tokens or is empty; HookFailedError; model and budget
 *   errors as they come.
 */
export function runAgent(
  runtime: AgentEnvironment,
  agent: AgentDefinition,
  prompt: string,
  options: RunAgentOptions = {},
): Promise<AgentRunResult> {
  const own = options.signal;
  // The environment's own signal (or none) needs no link: nothing to listen on, nothing to release.
  if (own === undefined || own === runtime.signal) return runSteps(runtime, agent, prompt, options, runtime.signal);
  const link = linkSignals([own, runtime.signal]);
  return runSteps(runtime, agent, prompt, options, link.signal).finally(link.release);
}

/** Tool calls in one step from which their batch gets a signal that allows that many listeners. */
const MANY_TOOL_CALLS = 8;

/** The selection of an agent that names no tools on a runtime that has none: one for all such runs. */
const NO_TOOLS: AgentTools = { tools: new Map(), missing: [], withheld: new Map(), needApproval: new Set() };

/** An agent's tools on one tool map, and their specs as the model is offered them. */
interface OfferedTools {
  readonly access: ToolAccess | undefined;
  readonly selection: AgentTools;
  readonly specs: ToolSpec[] | undefined;
}

/**
 * The same for every run of an agent on one tool map (agents are frozen; a run level or a runtime keeps
 * its map), so it is worked out once per pair: runs of a plan's thousands of tasks share it.
 */
const offered = new WeakMap<ReadonlyMap<string, Tool>, WeakMap<AgentDefinition, OfferedTools>>();

function offeredTools(agent: AgentDefinition, tools: ReadonlyMap<string, Tool>, access: ToolAccess | undefined): OfferedTools {
  if (tools.size === 0 && !agent.tools?.length) return { access, selection: NO_TOOLS, specs: undefined };
  let byAgent = offered.get(tools);
  if (!byAgent) offered.set(tools, (byAgent = new WeakMap()));
  let known = byAgent.get(agent);
  if (!known || known.access !== access) {
    const selection = toolsForAgent(agent, tools, access);
    known = { access, selection, specs: selection.tools.size > 0 ? [...selection.tools.values()].map(toolSpecOf) : undefined };
    byAgent.set(agent, known);
  }
  return known;
}

/** One agent run in flight: what its steps share, from the first model call to the result. */
interface AgentRun {
  readonly runtime: AgentEnvironment;
  readonly agent: AgentDefinition;
  readonly prompt: string;
  /** What the run keeps of its options (not the options object, which the caller may drop). */
  readonly taskId: string | undefined;
  readonly onText: RunAgentOptions['onText'];
  readonly toolJournal: RunAgentOptions['toolJournal'];
  readonly model: Model;
  readonly cap: number;
  readonly selection: AgentTools;
  readonly approve: ReturnType<typeof approvalFor>;
  /** The same request for every step: its `messages` grow from step to step. */
  readonly request: GenerateRequest & { readonly messages: Message[]; readonly signal: AbortSignal; readonly tags: AgentTags };
  steps: AgentStep[];
  usage: Usage;
  costUsd: number;
  readonly startedAt: number;
}

type AgentTags = { readonly agent: string; readonly taskId?: string };

function runSteps(runtime: AgentEnvironment, agent: AgentDefinition, prompt: string, options: RunAgentOptions, signal: AbortSignal): Promise<AgentRunResult> {
  try {
    return loop(startRun(runtime, agent, prompt, options, signal));
  } catch (error) {
    // A bad cap, or a model that throws instead of rejecting: a rejection all the same, as from an async function.
    return Promise.reject(error);
  }
}

/** Everything before the first model call that needs no waiting: the cap, the model, the tools, the request. */
function startRun(runtime: AgentEnvironment, agent: AgentDefinition, prompt: string, options: RunAgentOptions, signal: AbortSignal): AgentRun {
  const startedAt = runtime.clock.now();
  const cap = stepCap(agent, options, runtime.limits.maxSteps);
  const tags: AgentTags = options.taskId !== undefined ? { agent: agent.name, taskId: options.taskId } : { agent: agent.name };
  const model = options.model ?? runtime.models.forAgent(agent);

  const { selection, specs: tools } = offeredTools(agent, runtime.tools, runtime.toolAccess);
  const approve = approvalFor(selection, runtime.toolAccess, tags);
  if (selection.missing.length > 0)
    runtime.events.emit({
      type: 'log',
      level: 'warn',
      message: `agent "${agent.name}" lists tools this runtime does not provide: ${selection.missing.join(', ')}`,
    });
  const system = systemOf(agent, options);
  const context = options.context ? renderDataBlocks([['context', options.context]]) : '';
  const messages: Message[] = [{ role: 'user', content: context ? `${context}\n\n---\n\n${prompt}` : prompt }];
  const request = requestOf(system, messages, tools, signal, tags);
  const { taskId, onText, toolJournal } = options;
  return { runtime, agent, prompt, taskId, onText, toolJournal, model, cap, selection, approve, request, steps: [], usage: ZERO_USAGE, costUsd: 0, startedAt };
}

/**
 * The request of every step, its optional fields left out rather than undefined. Object literals, not
 * spreads: the request lives as long as the run, and a literal keeps its fields in the object itself.
 */
function requestOf(system: string, messages: Message[], tools: ToolSpec[] | undefined, signal: AbortSignal, tags: AgentTags): AgentRun['request'] {
  if (tools) return system ? { system, messages, tools, signal, tags } : { messages, tools, signal, tags };
  return system ? { system, messages, signal, tags } : { messages, signal, tags };
}

/** The agent's system prompt, then the caller's extra instructions, blank ones left out. */
function systemOf(agent: AgentDefinition, options: RunAgentOptions): string {
  const own = agent.systemPrompt.trim();
  const extra = options.system?.trim();
  return extra ? (own ? `${own}\n\n${extra}` : extra) : own;
}

/**
 * The steps as a chain of reactions (model call → tool calls → next step, or the end), not an async
 * loop: thousands of runs may wait at once, and a suspended async frame holds about twice as much as
 * the one reaction each waiting step has here.
 */
function loop(run: AgentRun): Promise<AgentRunResult> {
  if (run.agent.hooks?.pre === undefined) return step(run, 0);
  return runHook(run.runtime, run.agent, 'pre', hookInput(run, run.prompt)).then(() => step(run, 0));
}

/** Step `index`: its model call, then the tool calls it asked for and the next step, or the end. */
function step(run: AgentRun, index: number): Promise<AgentRunResult> {
  return callModel(run, index).then((result) => {
    const answer = answerOf(run, index, result);
    if (answer !== undefined) return end(run, answer, 'final');
    if (index === run.cap - 1) return end(run, lastText(run), 'max_steps');
    return runToolCalls(run, index, result).then(() => step(run, index + 1));
  });
}

function end(run: AgentRun, output: string, finishReason: AgentRunResult['finishReason']): AgentRunResult | Promise<AgentRunResult> {
  if (run.agent.hooks?.post === undefined) return resultOf(run, output, finishReason);
  return runHook(run.runtime, run.agent, 'post', hookInput(run, output)).then(() => resultOf(run, output, finishReason));
}

function callModel(run: AgentRun, index: number): Promise<GenerateResult> {
  const { signal } = run.request;
  if (signal.aborted) return Promise.reject(new AbortedError(`agent "${run.agent.name}" was aborted before step ${index}`, { cause: signal.reason }));
  const { onText } = run;
  const step = index + 1;
  return onText ? generateWithText(run.model, run.request, (text) => onText(text, step)) : run.model.generate(run.request);
}

/**
 * Records one model call: its usage, its `agent.step` event, and its step when no tool calls follow
 * it. Returns the answer when the call gave one.
 */
function answerOf(run: AgentRun, index: number, result: GenerateResult): string | undefined {
  const { agent, model } = run;
  run.usage = addUsage(run.usage, result.usage);
  run.costUsd += result.costUsd;
  if (run.runtime.events.hasListeners()) run.runtime.events.emit({ type: 'agent.step', ...run.request.tags, step: index, toolCalls: result.toolCalls.map((c) => c.name) });

  if (result.toolCalls.length === 0) {
    if (result.stopReason === 'refusal' || result.refusal) throw new RefusalError(model.provider, result.refusal ?? result.text);
    if (result.stopReason === 'max_tokens') throw new TruncatedOutputError(model.provider, result.text, undefined);
    if (result.text.trim() === '') throw new EmptyOutputError({ provider: model.provider, agent: agent.name, taskId: run.taskId });
    addStep(run, stepOf(index, result, [], result.modelId));
    return result.text;
  }
  if (index === run.cap - 1) {
    // No model call follows, so nothing would read these results: record the calls without running them.
    const notRun = result.toolCalls.map((call) => ({
      id: call.id,
      name: call.name,
      input: call.input,
      output: `not run: agent "${agent.name}" reached its step cap of ${run.cap}`,
      isError: true,
      durationMs: 0,
    }));
    addStep(run, stepOf(index, result, notRun, result.modelId));
  }
  return undefined;
}

/** Runs the tool calls of one step (in parallel, results in the model's order) and puts them in the conversation. */
async function runToolCalls(run: AgentRun, index: number, result: GenerateResult): Promise<void> {
  const { runtime, agent, toolJournal, selection, approve } = run;
  const { tags } = run.request;
  // Parallel tool calls each listen on the signal until they end: many at once is normal here, not
  // the leak Node warns about past 10, so a large batch gets a signal of its own that allows it.
  const batch = linkSignals([run.request.signal], { manyListeners: result.toolCalls.length >= MANY_TOOL_CALLS });
  const outcomes = await Promise.all(
    result.toolCalls.map((call) => {
      const execute = (idempotencyKey?: string) =>
        executeToolCall(call, {
          tools: selection.tools,
          withheld: selection.withheld,
          ...(approve ? { approve } : {}),
          defaultTimeoutMs: runtime.limits.toolTimeoutMs,
          clock: runtime.clock,
          signal: batch.signal,
          events: runtime.events,
          ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
          ...tags,
        });
      return toolJournal ? toolJournal.run(call, agent.name, execute) : execute();
    }),
  ).finally(batch.release);
  addStep(run, stepOf(index, result, outcomes, result.modelId));
  const { messages } = run.request;
  messages.push({ role: 'assistant', content: result.text, toolCalls: result.toolCalls });
  for (const outcome of outcomes)
    messages.push({ role: 'tool', toolCallId: outcome.id, toolName: outcome.name, content: outcome.output, ...(outcome.isError ? { isError: true } : {}) });
}

/** The output of a run that reached its step cap without a final answer: its last text, with a warning. */
function lastText(run: AgentRun): string {
  const { taskId } = run;
  run.runtime.events.emit({
    type: 'log',
    level: 'warn',
    message: `agent "${run.agent.name}"${taskId ? ` (task ${taskId})` : ''} reached its step cap of ${run.cap} without a final answer; using its last text`,
  });
  return [...run.steps].reverse().find((step) => step.text.trim() !== '')?.text ?? '';
}

function addStep(run: AgentRun, step: AgentStep): void {
  // Most runs have one step: an array of exactly one, not the 16 slots V8 makes room for on a first push.
  if (run.steps.length === 0) run.steps = [step];
  else run.steps.push(step);
}

function hookInput(run: AgentRun, stdin: string): HookInput {
  const { taskId } = run;
  return taskId !== undefined ? { stdin, taskId, signal: run.request.signal } : { stdin, signal: run.request.signal };
}

function resultOf(run: AgentRun, output: string, finishReason: AgentRunResult['finishReason']): AgentRunResult {
  const { runtime, steps, usage, costUsd } = run;
  if (runtime.events.hasListeners()) runtime.events.emit({ type: 'agent.completed', ...run.request.tags, steps: steps.length, usage, costUsd });
  return { output, agent: run.agent.name, usage, costUsd, steps, durationMs: runtime.clock.now() - run.startedAt, finishReason };
}

/** The step cap of one run: the smaller of the agent's `maxTurns` and the caller's `maxSteps`, else the runtime default. */
export function stepCap(agent: Pick<AgentDefinition, 'name' | 'maxTurns'>, options: Pick<RunAgentOptions, 'maxSteps'>, runtimeCap: number): number {
  // The runtime's cap is a limit: an agent file's `maxTurns` or a caller's `maxSteps` can lower it, never raise it.
  let cap = runtimeCap;
  if (agent.maxTurns !== undefined) cap = Math.min(cap, agent.maxTurns);
  if (options.maxSteps !== undefined) cap = Math.min(cap, options.maxSteps);
  if (!Number.isInteger(cap) || cap < 1)
    throw new ConfigError(`agent "${agent.name}": the step cap must be a positive integer, got ${cap} (maxTurns / maxSteps)`);
  return cap;
}

function stepOf(
  index: number,
  result: { text: string; usage: Usage; costUsd: number },
  toolCalls: readonly ToolCallOutcome[],
  model: string,
): AgentStep {
  return { index, text: result.text, toolCalls, usage: result.usage, costUsd: result.costUsd, model };
}
