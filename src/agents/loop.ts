import { ConfigError, AbortedError } from '../errors/taskforce-error.js';
import { EmptyOutputError, RefusalError, TruncatedOutputError } from '../errors/output-errors.js';
import type { Message, Model, ToolSpec, Usage } from '../model/types.js';
import { addUsage, ZERO_USAGE } from '../model/types.js';
import type { EventBus } from '../events/bus.js';
import type { Tool } from '../tools/types.js';
import type { Clock } from '../util/clock.js';
import { generateWithText } from '../model/stream-text.js';
import { linkSignals } from '../util/signals.js';
import { toolSpecOf } from '../tools/define-tool.js';
import { executeToolCall, type ToolCallJournal, type ToolCallOutcome } from '../tools/execute-tool.js';
import { approvalFor, toolsForAgent, type ToolAccess } from './tool-selection.js';
import { renderDataBlocks } from '../util/data-blocks.js';
import { runHook } from './hooks.js';
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
export async function runAgent(
  runtime: AgentEnvironment,
  agent: AgentDefinition,
  prompt: string,
  options: RunAgentOptions = {},
): Promise<AgentRunResult> {
  const link = linkSignals([options.signal, runtime.signal]);
  try {
    return await runSteps(runtime, agent, prompt, options, link.signal);
  } finally {
    link.release();
  }
}

/** Tool calls in one step from which their batch gets a signal that allows that many listeners. */
const MANY_TOOL_CALLS = 8;

async function runSteps(runtime: AgentEnvironment, agent: AgentDefinition, prompt: string, options: RunAgentOptions, signal: AbortSignal): Promise<AgentRunResult> {
  const startedAt = runtime.clock.now();
  const cap = stepCap(agent, options, runtime.limits.maxSteps);
  const tags = { agent: agent.name, ...(options.taskId !== undefined ? { taskId: options.taskId } : {}) };
  const model = options.model ?? runtime.models.forAgent(agent);

  const selection = toolsForAgent(agent, runtime.tools, runtime.toolAccess);
  const { tools, missing, withheld } = selection;
  const approve = approvalFor(selection, runtime.toolAccess, tags);
  if (missing.length > 0)
    runtime.events.emit({
      type: 'log',
      level: 'warn',
      message: `agent "${agent.name}" lists tools this runtime does not provide: ${missing.join(', ')}`,
    });
  const toolSpecs: ToolSpec[] = [...tools.values()].map(toolSpecOf);
  const system = [agent.systemPrompt.trim(), options.system?.trim()].filter(Boolean).join('\n\n');

  const hookInput = (stdin: string) => ({
    stdin,
    ...(options.taskId !== undefined ? { taskId: options.taskId } : {}),
    signal,
  });
  if (agent.hooks?.pre !== undefined) await runHook(runtime, agent, 'pre', hookInput(prompt));

  const context = options.context ? renderDataBlocks([['context', options.context]]) : '';
  const messages: Message[] = [{ role: 'user', content: context ? `${context}\n\n---\n\n${prompt}` : prompt }];
  const steps: AgentStep[] = [];
  let usage: Usage = ZERO_USAGE;
  let costUsd = 0;
  let output: string | undefined;

  for (let index = 0; index < cap && output === undefined; index++) {
    if (signal.aborted) throw new AbortedError(`agent "${agent.name}" was aborted before step ${index}`, { cause: signal.reason });
    const request = { ...(system ? { system } : {}), messages, ...(toolSpecs.length > 0 ? { tools: toolSpecs } : {}), signal, tags };
    const { onText } = options;
    const step = index + 1;
    const result = onText ? await generateWithText(model, request, (text) => onText(text, step)) : await model.generate(request);
    usage = addUsage(usage, result.usage);
    costUsd += result.costUsd;
    if (runtime.events.hasListeners()) runtime.events.emit({ type: 'agent.step', ...tags, step: index, toolCalls: result.toolCalls.map((c) => c.name) });

    if (result.toolCalls.length === 0) {
      if (result.stopReason === 'refusal' || result.refusal) throw new RefusalError(model.provider, result.refusal ?? result.text);
      if (result.stopReason === 'max_tokens') throw new TruncatedOutputError(model.provider, result.text, undefined);
      if (result.text.trim() === '') throw new EmptyOutputError({ provider: model.provider, agent: agent.name, taskId: options.taskId });
      steps.push(stepOf(index, result, [], result.modelId));
      output = result.text;
      break;
    }
    if (index === cap - 1) {
      // No model call follows, so nothing would read these results: record the calls without running them.
      const notRun = result.toolCalls.map((call) => ({
        id: call.id,
        name: call.name,
        input: call.input,
        output: `not run: agent "${agent.name}" reached its step cap of ${cap}`,
        isError: true,
        durationMs: 0,
      }));
      steps.push(stepOf(index, result, notRun, result.modelId));
      break;
    }
    // Parallel tool calls each listen on the signal until they end: many at once is normal here, not
    // the leak Node warns about past 10, so a large batch gets a signal of its own that allows it.
    const batch = linkSignals([signal], { manyListeners: result.toolCalls.length >= MANY_TOOL_CALLS });
    const outcomes = await Promise.all(
      result.toolCalls.map((call) => {
        const execute = (idempotencyKey?: string) =>
          executeToolCall(call, {
            tools,
            withheld,
            ...(approve ? { approve } : {}),
            defaultTimeoutMs: runtime.limits.toolTimeoutMs,
            clock: runtime.clock,
            signal: batch.signal,
            events: runtime.events,
            ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
            ...tags,
          });
        return options.toolJournal ? options.toolJournal.run(call, agent.name, execute) : execute();
      }),
    ).finally(batch.release);
    steps.push(stepOf(index, result, outcomes, result.modelId));
    messages.push({ role: 'assistant', content: result.text, toolCalls: result.toolCalls });
    for (const outcome of outcomes)
      messages.push({ role: 'tool', toolCallId: outcome.id, toolName: outcome.name, content: outcome.output, ...(outcome.isError ? { isError: true } : {}) });
  }

  const finishReason = output === undefined ? 'max_steps' : 'final';
  if (output === undefined) {
    runtime.events.emit({
      type: 'log',
      level: 'warn',
      message: `agent "${agent.name}"${options.taskId ? ` (task ${options.taskId})` : ''} reached its step cap of ${cap} without a final answer; using its last text`,
    });
    output = [...steps].reverse().find((step) => step.text.trim() !== '')?.text ?? '';
  }
  if (agent.hooks?.post !== undefined) await runHook(runtime, agent, 'post', hookInput(output));
  if (runtime.events.hasListeners()) runtime.events.emit({ type: 'agent.completed', ...tags, steps: steps.length, usage, costUsd });
  return { output, agent: agent.name, usage, costUsd, steps, durationMs: runtime.clock.now() - startedAt, finishReason };
}

/** The step cap of one run: the smaller of the agent's `maxTurns` and the caller's `maxSteps`, else the runtime default. */
export function stepCap(agent: Pick<AgentDefinition, 'name' | 'maxTurns'>, options: Pick<RunAgentOptions, 'maxSteps'>, runtimeCap: number): number {
  // The runtime's cap is a limit: an agent file's `maxTurns` or a caller's `maxSteps` can lower it, never raise it.
  const cap = Math.min(runtimeCap, ...[agent.maxTurns, options.maxSteps].filter((n): n is number => n !== undefined));
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
