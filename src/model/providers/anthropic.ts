import type Anthropic from '@anthropic-ai/sdk';
import { ModelConnectionError } from '../../errors/model-errors.js';
import type { Clock } from '../../util/clock.js';
import { systemClock } from '../../util/clock.js';
import type {
  Message,
  ProviderModel,
  ProviderRequest,
  ProviderResult,
  ProviderStreamPart,
  StopReason,
  ToolCall,
  ToolChoice,
  Usage,
} from '../types.js';
import { mapSdkError, unreadableResponse } from './errors.js';
import { importSdk, once } from './lazy-sdk.js';
import { parseToolArguments, rootObjectSchema, structuredText, type RootObjectSchema } from './shared.js';

/** Settings of the Anthropic adapter. */
export interface AnthropicProviderOptions {
  /** Model id, e.g. `claude-haiku-4-5`. */
  readonly model: string;
  readonly apiKey: string;
  /** API root; default the SDK's (Anthropic's own API). */
  readonly baseURL?: string;
  /** `max_tokens` when the request sets none (the Messages API requires one); default 4096. */
  readonly defaultMaxTokens?: number;
  /** Extra headers on every request (e.g. `anthropic-beta`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Custom fetch (proxies, tests that inspect raw requests). */
  readonly fetch?: typeof globalThis.fetch;
  /** Clock for `retry-after` dates; default the system clock. */
  readonly clock?: Clock;
}

/**
 * A `ProviderModel` over the Anthropic Messages API, through `@anthropic-ai/sdk`. The SDK's own retries
 * are off (`maxRetries: 0`): retrying happens once, in the resilience layer above.
 * Structured output is a forced tool call named after the schema; its input comes back as `text`.
 *
 * @example
 * const provider = anthropicProvider({ model: 'claude-haiku-4-5', apiKey: process.env.ANTHROPIC_API_KEY! });
 * const model = modelFromProvider(provider);
 */
export function anthropicProvider(options: AnthropicProviderOptions): ProviderModel {
  const clock = options.clock ?? systemClock();
  // The SDK is imported on the first call, not when the model is created (start-up time).
  const connect = once(async () => {
    const { default: Sdk } = await importSdk('@anthropic-ai/sdk', () => import('@anthropic-ai/sdk'));
    const client = new Sdk({
      apiKey: options.apiKey,
      // Explicit, so an ANTHROPIC_AUTH_TOKEN in the environment cannot add a second credential.
      authToken: null,
      // null, not undefined: the SDK's own default endpoint, without it reading *_BASE_URL from the
      // process environment (resolveModelSpec already applied the environment it was given).
      baseURL: options.baseURL ?? null,
      maxRetries: 0,
      ...(options.headers ? { defaultHeaders: { ...options.headers } } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    return { sdk: Sdk, client };
  });
  type Connected = Awaited<ReturnType<typeof connect>>;
  const defaultMaxTokens = options.defaultMaxTokens ?? 4096;
  const fromMessage = (message: Anthropic.Message, request: ProviderRequest, root: RootObjectSchema | undefined): ProviderResult => {
    // A 200 that is not a message (a proxy's HTML page, JSON of another shape) reaches us as whatever
    // the SDK parsed it to: say so, as OpenAI's adapter does, instead of failing on `content` below.
    if (!Array.isArray((message as Partial<Anthropic.Message> | null | undefined)?.content))
      throw unreadableResponse({ provider: 'anthropic', apiKey: options.apiKey }, 'the reply is not a message (it has no content array)', message);
    return toResult(
      {
        model: message.model,
        blocks: message.content.flatMap((block): AccumulatedBlock[] =>
          block.type === 'text'
            ? [{ type: 'text', text: block.text }]
            : block.type === 'tool_use'
              ? [{ type: 'tool_use', id: block.id, name: block.name, input: block.input }]
              : [],
        ),
        stopReason: message.stop_reason,
        usage: message.usage,
      },
      request,
      root,
    );
  };
  const fail = (error: unknown, sdk: typeof Anthropic, signal: AbortSignal | undefined) =>
    mapSdkError(error, sdk, { provider: 'anthropic', now: () => clock.now(), signal, apiKey: options.apiKey });

  return {
    provider: 'anthropic',
    modelId: options.model,
    // The breaker key: the base URL, or the SDK's default endpoint (named, not spelled out here).
    endpoint: options.baseURL ?? 'anthropic',
    structuredMode: 'tool',
    connect: async () => void (await connect()),
    doGenerate(request) {
      try {
        const { params, root } = toAnthropicParams(options.model, request, defaultMaxTokens, false);
        // A chain of reactions, not an async function: once connected, a call waits only for the SDK.
        const send = ({ sdk, client }: Connected) =>
          client.messages.create(params as Anthropic.MessageCreateParamsNonStreaming, { signal: request.signal ?? null }).then(
            (message) => fromMessage(message, request, root),
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
      const { params, root } = toAnthropicParams(options.model, request, defaultMaxTokens, true);
      const state: StreamState = { model: options.model, blocks: [], json: new Map(), stopReason: null, usage: {}, stopped: false };
      const { sdk, client } = await connect();
      try {
        const stream = await client.messages.create(params as Anthropic.MessageCreateParamsStreaming, { signal: request.signal ?? null });
        for await (const event of stream) {
          const delta = applyEvent(state, event);
          if (delta) yield { type: 'text-delta', text: delta };
        }
      } catch (error) {
        throw fail(error, sdk, request.signal);
      }
      if (!state.stopped)
        throw new ModelConnectionError('anthropic', 'the stream ended before message_stop (the response was cut)');
      for (const [index, json] of state.json) {
        const block = state.blocks[index];
        if (block?.type === 'tool_use') block.input = parseToolArguments(json);
      }
      yield { type: 'finish', result: toResult(state, request, root) };
    },
  };
}

type AccumulatedBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

interface Accumulated {
  model: string;
  blocks: AccumulatedBlock[];
  stopReason: Anthropic.StopReason | null;
  usage: Partial<Pick<Anthropic.Usage, 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens'>>;
}

interface StreamState extends Accumulated {
  /** Raw `input_json_delta` text per content block index, parsed once the stream ends. */
  json: Map<number, string>;
  stopped: boolean;
}

/** Folds one stream event into the state; returns the text delta to pass on, if any. */
function applyEvent(state: StreamState, event: Anthropic.RawMessageStreamEvent): string | undefined {
  switch (event.type) {
    case 'message_start':
      state.model = event.message.model;
      state.usage = { ...event.message.usage };
      return undefined;
    case 'content_block_start': {
      const block = event.content_block;
      if (block.type === 'text') state.blocks[event.index] = { type: 'text', text: block.text };
      else if (block.type === 'tool_use') {
        state.blocks[event.index] = { type: 'tool_use', id: block.id, name: block.name, input: {} };
        state.json.set(event.index, '');
      }
      return undefined;
    }
    case 'content_block_delta': {
      const block = state.blocks[event.index];
      if (event.delta.type === 'text_delta' && block?.type === 'text') {
        block.text += event.delta.text;
        return event.delta.text;
      }
      if (event.delta.type === 'input_json_delta' && block?.type === 'tool_use')
        state.json.set(event.index, (state.json.get(event.index) ?? '') + event.delta.partial_json);
      return undefined;
    }
    case 'message_delta':
      state.stopReason = event.delta.stop_reason ?? state.stopReason;
      // message_delta usage is cumulative; fields it leaves null keep the message_start values.
      for (const [key, value] of Object.entries(event.usage))
        if (typeof value === 'number') (state.usage as Record<string, number>)[key] = value;
      return undefined;
    case 'message_stop':
      state.stopped = true;
      return undefined;
    default:
      return undefined;
  }
}

/** One result shape for streamed and non-streamed replies, so both give the same `ProviderResult`. */
function toResult(reply: Accumulated, request: ProviderRequest, root: RootObjectSchema | undefined): ProviderResult {
  let text = reply.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
  let toolCalls: ToolCall[] = reply.blocks.flatMap((b) => (b.type === 'tool_use' ? [{ id: b.id, name: b.name, input: b.input }] : []));
  let stopReason = mapStopReason(reply.stopReason);
  const format = request.responseFormat;
  const structured = format && root ? toolCalls.find((call) => call.name === format.name) : undefined;
  if (format && root && structured) {
    text = structuredText(structured.input, root);
    toolCalls = toolCalls.filter((call) => call !== structured);
    // The forced tool call is how the answer arrives, not a request to run a tool.
    if (stopReason === 'tool_use' && toolCalls.length === 0) stopReason = 'end_turn';
  }
  return { text, toolCalls, usage: toUsage(reply.usage), stopReason, modelId: reply.model };
}

function toUsage(usage: Accumulated['usage']): Usage {
  return {
    inputTokens: usage.input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
    ...(typeof usage.cache_read_input_tokens === 'number' ? { cacheReadTokens: usage.cache_read_input_tokens } : {}),
    ...(typeof usage.cache_creation_input_tokens === 'number' ? { cacheWriteTokens: usage.cache_creation_input_tokens } : {}),
  };
}

/** Anthropic stop reasons in our vocabulary. Hitting the context window also means the output was cut. */
function mapStopReason(reason: string | null | undefined): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'tool_use':
    case 'stop_sequence':
    case 'refusal':
    case 'max_tokens':
      return reason;
    case 'model_context_window_exceeded':
      return 'max_tokens';
    default:
      return 'other';
  }
}

/** The request's fields as Anthropic's, set one by one (a literal of conditional spreads takes a slow path on every call). */
function paramsOf(
  model: string,
  request: ProviderRequest,
  defaultMaxTokens: number,
  tools: Anthropic.Tool[],
  toolChoice: Anthropic.MessageCreateParams['tool_choice'] | undefined,
  stream: boolean,
): Anthropic.MessageCreateParams {
  const params: Anthropic.MessageCreateParams = {
    model,
    max_tokens: request.maxTokens ?? defaultMaxTokens,
    messages: toAnthropicMessages(request.messages),
  };
  if (request.system) params.system = request.system;
  if (tools.length > 0) params.tools = tools;
  if (toolChoice) params.tool_choice = toolChoice;
  // Sent as before, though the SDK's types (1.14) no longer list it.
  if (request.temperature !== undefined) (params as { temperature?: number }).temperature = request.temperature;
  if (request.stopSequences?.length) params.stop_sequences = [...request.stopSequences];
  (params as { stream?: boolean }).stream = stream;
  return params;
}

/** Our request in Messages API terms; `root` is set when a response format turns into a forced tool. */
function toAnthropicParams(
  model: string,
  request: ProviderRequest,
  defaultMaxTokens: number,
  stream: boolean,
): { params: Anthropic.MessageCreateParams; root: RootObjectSchema | undefined } {
  const tools: Anthropic.Tool[] = (request.tools ?? []).map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: tool.inputSchema as Anthropic.Tool.InputSchema,
  }));
  let toolChoice = request.toolChoice && tools.length > 0 ? toToolChoice(request.toolChoice) : undefined;
  let root: RootObjectSchema | undefined;
  if (request.responseFormat) {
    root = rootObjectSchema(request.responseFormat);
    tools.push({
      name: request.responseFormat.name,
      description: request.responseFormat.description ?? `Reply with the result as the input of this tool.`,
      input_schema: root.schema as Anthropic.Tool.InputSchema,
    });
    toolChoice = { type: 'tool', name: request.responseFormat.name };
  }
  return {
    params: paramsOf(model, request, defaultMaxTokens, tools, toolChoice, stream),
    root,
  };
}

function toToolChoice(choice: ToolChoice): Anthropic.ToolChoice {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  return { type: 'tool', name: choice.name };
}

/**
 * Our messages as Anthropic messages. Tool results become `tool_result` blocks of a user turn, and
 * consecutive user-side messages merge into one turn, since the API wants every result of an
 * assistant turn's tool calls in the single user turn that follows it.
 */
export function toAnthropicMessages(messages: readonly Message[]): Anthropic.MessageParam[] {
  const out: Anthropic.MessageParam[] = [];
  const pushUser = (blocks: Anthropic.ContentBlockParam[]) => {
    const last = out.at(-1);
    if (last?.role === 'user' && Array.isArray(last.content)) last.content.push(...blocks);
    else out.push({ role: 'user', content: blocks });
  };
  for (const message of messages) {
    if (message.role === 'user') pushUser([{ type: 'text', text: message.content }]);
    else if (message.role === 'tool')
      pushUser([
        {
          type: 'tool_result',
          tool_use_id: message.toolCallId,
          content: message.content,
          ...(message.isError ? { is_error: true } : {}),
        },
      ]);
    else {
      const blocks: Anthropic.ContentBlockParam[] = [];
      if (message.content) blocks.push({ type: 'text', text: message.content });
      for (const call of message.toolCalls ?? [])
        blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInputObject(call.input) });
      out.push({ role: 'assistant', content: blocks.length > 0 ? blocks : message.content });
    }
  }
  return out;
}

/**
 * `tool_use.input` must be an object. A call whose arguments were not JSON (kept as the raw string)
 * is replayed with no arguments; the tool result that follows tells the model what was wrong.
 */
function toolInputObject(input: unknown): Record<string, unknown> {
  return input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
}
