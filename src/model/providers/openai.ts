import type OpenAI from 'openai';
import { ModelConnectionError } from '../../errors/model-errors.js';
import type { Clock } from '../../util/clock.js';
import { systemClock } from '../../util/clock.js';
import type { Message, ProviderModel, ProviderRequest, ProviderResult, ProviderStreamPart, StopReason, ToolCall, ToolChoice, Usage } from '../types.js';
import { mapSdkError, unreadableResponse } from './errors.js';
import { importSdk, once } from './lazy-sdk.js';
import { parseToolArguments, rootObjectSchema, type RootObjectSchema } from './shared.js';

type ChatParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type ChatStreamParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming;

/** Settings of the OpenAI (and OpenAI-compatible) adapter. */
export interface OpenAIProviderOptions {
  /** Model id, e.g. `gpt-5-mini`, or whatever a compatible server calls its model (`llama3.2`). */
  readonly model: string;
  readonly apiKey: string;
  /** API root including `/v1`; default the SDK's (OpenAI's own API). Any OpenAI-compatible server works. */
  readonly baseURL?: string;
  /**
   * Which request field carries the output limit. OpenAI's current models want
   * `max_completion_tokens` (the default); some compatible servers only know `max_tokens`.
   */
  readonly maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  readonly organization?: string;
  /** Extra headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Custom fetch (proxies, tests that inspect raw requests). */
  readonly fetch?: typeof globalThis.fetch;
  /** Clock for `retry-after` dates; default the system clock. */
  readonly clock?: Clock;
  /** Provider name in events and errors; default `openai`. */
  readonly providerName?: string;
}

/**
 * A `ProviderModel` over OpenAI Chat Completions, through the `openai` SDK, against OpenAI or any
 * compatible server (Ollama, vLLM, LM Studio, ...) via `baseURL`. SDK retries are off (`maxRetries: 0`):
 * retrying happens once, in the resilience layer above. Structured output uses `response_format`
 * `json_schema`.
 *
 * @example
 * const provider = openaiProvider({ model: 'llama3.2', apiKey: 'ollama', baseURL: 'http://localhost:11434/v1' });
 * const model = modelFromProvider(provider);
 */
export function openaiProvider(options: OpenAIProviderOptions): ProviderModel {
  const provider = options.providerName ?? 'openai';
  const clock = options.clock ?? systemClock();
  // The SDK is imported on the first call, not when the model is created (start-up time).
  const connect = once(async () => {
    const { default: Sdk } = await importSdk('openai', () => import('openai'));
    const client = new Sdk({
      apiKey: options.apiKey,
      // null, not undefined: the SDK's own default endpoint, without it reading *_BASE_URL from the
      // process environment (resolveModelSpec already applied the environment it was given).
      baseURL: options.baseURL ?? null,
      maxRetries: 0,
      // Passed explicitly so the SDK does not pick up OPENAI_ORG_ID / OPENAI_PROJECT_ID behind our back.
      organization: options.organization ?? null,
      project: null,
      ...(options.headers ? { defaultHeaders: { ...options.headers } } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    return { sdk: Sdk, client };
  });
  type Connected = Awaited<ReturnType<typeof connect>>;
  const maxTokensField = options.maxTokensField ?? 'max_completion_tokens';
  const fromCompletion = (completion: OpenAI.Chat.Completions.ChatCompletion, root: RootObjectSchema | undefined): ProviderResult => {
    const choice = completion.choices?.[0];
    if (!choice?.message) throw unreadableResponse({ provider, apiKey: options.apiKey }, 'the completion has no choices[0].message', completion);
    return toResult(
      {
        model: completion.model ?? options.model,
        text: choice.message.content ?? '',
        refusal: choice.message.refusal ?? '',
        toolCalls: (choice.message.tool_calls ?? []).flatMap((call) =>
          call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
        ),
        finishReason: choice.finish_reason,
        usage: completion.usage,
      },
      root,
    );
  };
  const fail = (error: unknown, sdk: typeof OpenAI, signal: AbortSignal | undefined) =>
    mapSdkError(error, sdk, { provider, now: () => clock.now(), signal, apiKey: options.apiKey });

  return {
    provider,
    modelId: options.model,
    // The breaker key: the base URL, or the SDK's default endpoint (named, not spelled out here).
    endpoint: options.baseURL ?? provider,
    structuredMode: 'json_schema',
    connect: async () => void (await connect()),
    doGenerate(request) {
      try {
        const { params, root } = toOpenAIParams(options.model, request, maxTokensField, false);
        // A chain of reactions, not an async function: once connected, a call waits only for the SDK.
        const send = ({ sdk, client }: Connected) =>
          client.chat.completions.create(params as ChatParams, { signal: request.signal ?? null }).then(
            (completion) => fromCompletion(completion, root),
            (error: unknown) => {
              throw fail(error, sdk, request.signal);
            },
          );
        const connected = connect.value;
        return connected ? send(connected) : connect().then(send);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async *doStream(request): AsyncIterable<ProviderStreamPart> {
      const { params, root } = toOpenAIParams(options.model, request, maxTokensField, true);
      const reply: Accumulated = { model: options.model, text: '', refusal: '', toolCalls: [], finishReason: null, usage: undefined };
      const { sdk, client } = await connect();
      try {
        const stream = await client.chat.completions.create(params as ChatStreamParams, { signal: request.signal ?? null });
        for await (const chunk of stream) {
          if (chunk.model) reply.model = chunk.model;
          if (chunk.usage) reply.usage = chunk.usage;
          const choice = chunk.choices?.[0];
          if (!choice) continue;
          const delta = choice.delta;
          if (delta?.content) {
            reply.text += delta.content;
            yield { type: 'text-delta', text: delta.content };
          }
          if (delta?.refusal) reply.refusal += delta.refusal;
          for (const part of delta?.tool_calls ?? []) {
            const call = (reply.toolCalls[part.index] ??= { id: '', name: '', arguments: '' });
            if (part.id) call.id = part.id;
            if (part.function?.name) call.name += part.function.name;
            if (part.function?.arguments) call.arguments += part.function.arguments;
          }
          if (choice.finish_reason) reply.finishReason = choice.finish_reason;
        }
      } catch (error) {
        throw fail(error, sdk, request.signal);
      }
      if (!reply.finishReason)
        throw new ModelConnectionError(provider, 'the stream ended without a finish_reason (the response was cut)');
      reply.toolCalls = reply.toolCalls.filter((call) => call !== undefined);
      yield { type: 'finish', result: toResult(reply, root) };
    },
  };
}

interface Accumulated {
  model: string;
  text: string;
  refusal: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason: string | null;
  usage: OpenAI.Completions.CompletionUsage | undefined;
}

/** One result shape for streamed and non-streamed replies, so both give the same `ProviderResult`. */
function toResult(reply: Accumulated, root: RootObjectSchema | undefined): ProviderResult {
  const toolCalls: ToolCall[] = reply.toolCalls.map((call) => ({ id: call.id, name: call.name, input: parseToolArguments(call.arguments) }));
  let text = reply.text;
  if (root?.wrapped && text) {
    // A wrapped (non-object) schema: hand the caller the inner value. Broken JSON stays as sent.
    try {
      text = JSON.stringify(root.unwrap(JSON.parse(text)));
    } catch {
      // not JSON: validation upstream reports it and re-asks
    }
  }
  const stopReason: StopReason = reply.refusal ? 'refusal' : mapStopReason(reply.finishReason);
  return {
    text,
    toolCalls,
    usage: toUsage(reply.usage),
    stopReason,
    modelId: reply.model,
    ...(reply.refusal ? { refusal: reply.refusal } : {}),
  };
}

/**
 * `prompt_tokens` includes cached tokens; our `inputTokens` is uncached input only, so the cached part
 * moves to `cacheReadTokens` (priced at the cache rate).
 */
function toUsage(usage: OpenAI.Completions.CompletionUsage | undefined): Usage {
  if (!usage) return { inputTokens: 0, outputTokens: 0 };
  const cached = usage.prompt_tokens_details?.cached_tokens ?? undefined;
  return {
    inputTokens: Math.max(0, (usage.prompt_tokens ?? 0) - (cached ?? 0)),
    outputTokens: usage.completion_tokens ?? 0,
    ...(typeof cached === 'number' ? { cacheReadTokens: cached } : {}),
  };
}

/** Finish reasons in our vocabulary. A content filter stop means the provider withheld the answer. */
function mapStopReason(reason: string | null): StopReason {
  switch (reason) {
    case 'stop':
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
    case 'refusal':
      return 'refusal';
    default:
      return 'other';
  }
}

function toOpenAIParams(
  model: string,
  request: ProviderRequest,
  maxTokensField: 'max_completion_tokens' | 'max_tokens',
  stream: boolean,
): { params: ChatParams | ChatStreamParams; root: RootObjectSchema | undefined } {
  const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = (request.tools ?? []).map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  }));
  const format = request.responseFormat;
  const root = format ? rootObjectSchema(format) : undefined;
  // Fields set one by one: a literal of conditional spreads is built on a slow path, on every call.
  const params: OpenAI.Chat.Completions.ChatCompletionCreateParams = { model, messages: toOpenAIMessages(request.system, request.messages) };
  if (tools.length > 0) {
    params.tools = tools;
    if (request.toolChoice) params.tool_choice = toToolChoice(request.toolChoice);
  }
  if (request.maxTokens !== undefined) params[maxTokensField] = request.maxTokens;
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.stopSequences?.length) params.stop = [...request.stopSequences];
  if (format && root)
    params.response_format = {
      type: 'json_schema',
      json_schema: {
        name: schemaName(format.name),
        ...(format.description ? { description: format.description } : {}),
        schema: root.schema,
        // Not strict: strict mode demands every property be `required` and every object closed,
        // so any zod `.optional()` field makes OpenAI reject the schema with a 400. Non-strict
        // still steers the model; zod validates the reply and the repair loop re-asks.
        strict: false,
      },
    };
  (params as { stream?: boolean }).stream = stream;
  // A stream reports its usage in a last chunk only when asked.
  if (stream) params.stream_options = { include_usage: true };
  return { params, root };
}

/** `json_schema.name` allows `[a-zA-Z0-9_-]{1,64}` only. */
function schemaName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'result';
}

function toToolChoice(choice: ToolChoice): OpenAI.Chat.Completions.ChatCompletionToolChoiceOption {
  if (typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}

/** Our messages as Chat Completions messages; the system prompt goes first. */
export function toOpenAIMessages(
  system: string | undefined,
  messages: readonly Message[],
): OpenAI.Chat.Completions.ChatCompletionMessageParam[] {
  const out: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = system ? [{ role: 'system', content: system }] : [];
  for (const message of messages) {
    if (message.role === 'user') out.push({ role: 'user', content: message.content });
    else if (message.role === 'tool') out.push({ role: 'tool', tool_call_id: message.toolCallId, content: message.content });
    else
      out.push({
        role: 'assistant',
        content: message.content || null,
        ...(message.toolCalls?.length
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                // A call whose arguments were not JSON goes back exactly as the model sent it.
                function: { name: call.name, arguments: typeof call.input === 'string' ? call.input : JSON.stringify(call.input ?? {}) },
              })),
            }
          : {}),
      });
  }
  return out;
}
