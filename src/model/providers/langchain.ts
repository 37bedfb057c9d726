import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage, AIMessageChunk, BaseMessage } from '@langchain/core/messages';
import { ModelConnectionError, ModelResponseError } from '../../errors/model-errors.js';
import { AbortedError, ConfigError, TaskforceError } from '../../errors/taskforce-error.js';
import type { Clock } from '../../util/clock.js';
import { systemClock } from '../../util/clock.js';
import type { Message, ProviderModel, ProviderRequest, ProviderResult, ProviderStreamPart, StopReason, ToolCall, ToolChoice, Usage } from '../types.js';
import { httpError, isAbortError, isConnectionFailure } from './errors.js';
import { importSdk } from './lazy-sdk.js';
import { rootObjectSchema, structuredText, type RootObjectSchema } from './shared.js';

/** Settings of the LangChain adapter. */
export interface LangChainProviderOptions {
  /**
   * Any LangChain chat model. Construct it with `maxRetries: 0`: Taskforce retries once, above the
   * provider, and LangChain's own retries would multiply with ours.
   */
  readonly model: BaseChatModel;
  /** Model id for pricing and events; default the model's `model` / `modelName` field, else its type. */
  readonly modelId?: string;
  /** Clock for `retry-after` dates; default the system clock. */
  readonly clock?: Clock;
}

/**
 * A `ProviderModel` over a LangChain `BaseChatModel` (`@langchain/core` v1). Tools go through
 * `bindTools`; structured output is a forced tool call when the model supports tools, else a JSON
 * instruction in the system prompt. `maxTokens` and `temperature` are the LangChain model's own
 * settings (LangChain has no per-call option for them); `stopSequences` and `signal` are passed per call.
 *
 * @example
 * import { ChatOpenAI } from '@langchain/openai';
 * const provider = langchainProvider({ model: new ChatOpenAI({ model: 'gpt-5-mini', maxRetries: 0 }) });
 */
export function langchainProvider(options: LangChainProviderOptions): ProviderModel {
  const chat = options.model;
  const modelId = options.modelId ?? defaultModelId(chat);
  const clock = options.clock ?? systemClock();
  const canBindTools = typeof chat.bindTools === 'function';
  const fail = (error: unknown, signal: AbortSignal | undefined) => mapLangChainError(error, clock.now(), signal);

  const prepare = async (request: ProviderRequest) => {
    const plan = callPlan(request, canBindTools, modelId);
    const runnable = plan.tools.length > 0 ? chat.bindTools!(plan.tools, plan.toolChoice ? { tool_choice: plan.toolChoice } : {}) : chat;
    // Imported on first use, like the provider SDKs: importing Taskforce does not load LangChain.
    const lc = await importSdk('@langchain/core', () => import('@langchain/core/messages'));
    const messages = toLangChainMessages(lc, plan.system, request.messages);
    const callOptions = {
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.stopSequences?.length ? { stop: [...request.stopSequences] } : {}),
    };
    return { runnable, messages, callOptions, root: plan.root };
  };

  return {
    provider: 'langchain',
    modelId,
    endpoint: `langchain:${modelId}`,
    structuredMode: canBindTools ? 'tool' : 'prompt',
    async doGenerate(request) {
      const { runnable, messages, callOptions, root } = await prepare(request);
      let reply: AIMessage;
      try {
        reply = (await runnable.invoke(messages, callOptions)) as AIMessage;
      } catch (error) {
        throw fail(error, request.signal);
      }
      return toResult(reply, modelId, request, root);
    },
    async *doStream(request): AsyncIterable<ProviderStreamPart> {
      const { runnable, messages, callOptions, root } = await prepare(request);
      let merged: AIMessageChunk | undefined;
      try {
        for await (const chunk of await runnable.stream(messages, callOptions)) {
          const part = chunk as AIMessageChunk;
          merged = merged ? merged.concat(part) : part;
          const text = textOf(part.content);
          if (text && !root) yield { type: 'text-delta', text };
        }
      } catch (error) {
        throw fail(error, request.signal);
      }
      if (!merged) throw new ModelConnectionError('langchain', `${modelId} stream ended without any message`);
      yield { type: 'finish', result: toResult(merged, modelId, request, root) };
    },
  };
}

interface CallPlan {
  system: string | undefined;
  tools: { type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } }[];
  toolChoice: string | undefined;
  root: RootObjectSchema | undefined;
}

/** Which tools to bind and how to ask for structured output on this call. */
function callPlan(request: ProviderRequest, canBindTools: boolean, modelId: string): CallPlan {
  const tools: CallPlan['tools'] = (request.tools ?? []).map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  }));
  let toolChoice = request.toolChoice && tools.length > 0 ? langChainToolChoice(request.toolChoice) : undefined;
  let system = request.system;
  const format = request.responseFormat;
  const root = format ? rootObjectSchema(format) : undefined;
  if (format && root) {
    if (canBindTools) {
      tools.push({
        type: 'function',
        function: { name: format.name, description: format.description ?? 'Reply with the result as the input of this tool.', parameters: root.schema },
      });
      toolChoice = format.name;
    } else {
      const instruction =
        `Reply with only a JSON value (no prose, no code fence) that matches this JSON Schema:\n` + JSON.stringify(format.schema);
      system = system ? `${system}\n\n${instruction}` : instruction;
    }
  }
  if (tools.length > 0 && !canBindTools)
    throw new ConfigError(
      `the LangChain model "${modelId}" has no bindTools(), so it cannot be given tools (${tools.map((t) => t.function.name).join(', ')})`,
    );
  return { system, tools, toolChoice, root: format && canBindTools ? root : undefined };
}

/** LangChain's portable tool_choice: `"any"` means "some tool", a bare name forces that tool. */
function langChainToolChoice(choice: ToolChoice): string {
  if (choice === 'required') return 'any';
  if (typeof choice === 'string') return choice;
  return choice.name;
}

/** The message classes of `@langchain/core/messages`, passed in because that module is loaded on first use. */
type MessageClasses = Pick<typeof import('@langchain/core/messages'), 'AIMessage' | 'HumanMessage' | 'SystemMessage' | 'ToolMessage'>;

/** Our messages as LangChain messages. */
export function toLangChainMessages(lc: MessageClasses, system: string | undefined, messages: readonly Message[]): BaseMessage[] {
  const { AIMessage, HumanMessage, SystemMessage, ToolMessage } = lc;
  const out: BaseMessage[] = system ? [new SystemMessage(system)] : [];
  for (const message of messages) {
    if (message.role === 'user') out.push(new HumanMessage(message.content));
    else if (message.role === 'tool')
      out.push(
        new ToolMessage({
          content: message.content,
          tool_call_id: message.toolCallId,
          name: message.toolName,
          status: message.isError ? 'error' : 'success',
        }),
      );
    else
      out.push(
        new AIMessage({
          content: message.content,
          tool_calls: (message.toolCalls ?? []).map((call) => ({
            id: call.id,
            name: call.name,
            // LangChain tool args are objects; arguments that were not JSON are replayed as none.
            args: call.input !== null && typeof call.input === 'object' && !Array.isArray(call.input) ? (call.input as Record<string, unknown>) : {},
            type: 'tool_call' as const,
          })),
        }),
      );
  }
  return out;
}

function toResult(reply: AIMessage | AIMessageChunk, fallbackModelId: string, request: ProviderRequest, root: RootObjectSchema | undefined): ProviderResult {
  if (!reply || typeof reply !== 'object' || !('content' in reply))
    throw new ModelResponseError('langchain', `${fallbackModelId} returned something that is not a message`);
  let text = textOf(reply.content);
  let toolCalls: ToolCall[] = [
    ...(reply.tool_calls ?? []).map((call, i) => ({ id: call.id ?? `call_${i + 1}`, name: call.name, input: call.args })),
    // Arguments LangChain could not parse stay as the raw string, so the agent loop can report them.
    ...(reply.invalid_tool_calls ?? []).map((call, i) => ({ id: call.id ?? `invalid_call_${i + 1}`, name: call.name ?? '', input: call.args ?? '' })),
  ];
  const metadata = (reply.response_metadata ?? {}) as Record<string, unknown>;
  let stopReason = mapStopReason(metadata.finish_reason ?? metadata.stop_reason, toolCalls.length > 0);
  const format = request.responseFormat;
  const structured = format && root ? toolCalls.find((call) => call.name === format.name) : undefined;
  if (root && structured) {
    text = structuredText(structured.input, root);
    toolCalls = toolCalls.filter((call) => call !== structured);
    if (stopReason === 'tool_use' && toolCalls.length === 0) stopReason = 'end_turn';
  }
  const modelId = typeof metadata.model_name === 'string' ? metadata.model_name : typeof metadata.model === 'string' ? metadata.model : fallbackModelId;
  return { text, toolCalls, usage: toUsage(reply.usage_metadata), stopReason, modelId };
}

/** LangChain's `input_tokens` counts cache reads and writes too; ours is uncached input only. */
function toUsage(usage: AIMessage['usage_metadata']): Usage {
  if (!usage) return { inputTokens: 0, outputTokens: 0 };
  const cacheRead = usage.input_token_details?.cache_read;
  const cacheWrite = usage.input_token_details?.cache_creation;
  return {
    inputTokens: Math.max(0, usage.input_tokens - (cacheRead ?? 0) - (cacheWrite ?? 0)),
    outputTokens: usage.output_tokens,
    ...(typeof cacheRead === 'number' ? { cacheReadTokens: cacheRead } : {}),
    ...(typeof cacheWrite === 'number' ? { cacheWriteTokens: cacheWrite } : {}),
  };
}

/** Finish/stop reasons of the common LangChain integrations (OpenAI- and Anthropic-style) in our terms. */
function mapStopReason(reason: unknown, hasToolCalls: boolean): StopReason {
  switch (reason) {
    case 'stop':
    case 'end_turn':
      return 'end_turn';
    case 'length':
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max_tokens';
    case 'tool_calls':
    case 'tool_use':
    case 'function_call':
      return 'tool_use';
    case 'stop_sequence':
      return 'stop_sequence';
    case 'refusal':
    case 'content_filter':
      return 'refusal';
    case undefined:
    case null:
      return hasToolCalls ? 'tool_use' : 'end_turn';
    default:
      return 'other';
  }
}

function textOf(content: AIMessage['content']): string {
  if (typeof content === 'string') return content;
  return content
    .map((part) => (typeof part === 'string' ? part : part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

function defaultModelId(chat: BaseChatModel): string {
  const fields = chat as unknown as { model?: unknown; modelName?: unknown };
  if (typeof fields.model === 'string' && fields.model) return fields.model;
  if (typeof fields.modelName === 'string' && fields.modelName) return fields.modelName;
  return chat._llmType();
}

/**
 * LangChain integrations re-throw their SDK's errors (sometimes re-wrapped), so errors are recognised
 * by shape: an HTTP `status` is an API error, an abort is an abort, a failed fetch is a connection error.
 */
function mapLangChainError(error: unknown, now: number, signal: AbortSignal | undefined): unknown {
  if (TaskforceError.isInstance(error)) return error;
  if (signal?.aborted || isAbortError(error)) return new AbortedError('langchain call was aborted', { cause: signal?.reason ?? error });
  if (!(error instanceof Error)) return error;
  const shaped = error as Error & { status?: unknown; headers?: unknown; error?: unknown };
  if (typeof shaped.status === 'number' && shaped.status >= 400) {
    return httpError('langchain', shaped.status, shaped, now);
  }
  if (isConnectionFailure(error) || /connection error/i.test(error.message))
    return new ModelConnectionError('langchain', error.message, { cause: error });
  if (error instanceof SyntaxError) return new ModelResponseError('langchain', error.message, undefined, { cause: error });
  return error;
}
