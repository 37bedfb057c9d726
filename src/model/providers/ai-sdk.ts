import { ModelConnectionError } from '../../errors/model-errors.js';
import { AbortedError, TaskforceError } from '../../errors/taskforce-error.js';
import type { Clock } from '../../util/clock.js';
import { systemClock } from '../../util/clock.js';
import type { Message, ProviderModel, ProviderRequest, ProviderResult, ProviderStreamPart, StopReason, ToolCall, Usage } from '../types.js';
import { httpError, maskSecrets } from './errors.js';
import { parseToolArguments } from './shared.js';

// The Vercel AI SDK's language model spec (`@ai-sdk/provider`), typed structurally here so Taskforce
// needs no dependency on it: only the fields we read and write. v2 (ai 5) and v3 (ai 6) differ in
// usage and finish reason shapes; both are handled.

/** A Vercel AI SDK language model (`LanguageModelV2` or `LanguageModelV3`), as its provider packages make them. */
export interface AiSdkLanguageModel {
  readonly specificationVersion: 'v2' | 'v3';
  readonly provider: string;
  readonly modelId: string;
  // `never` parameters and `unknown` results: any v2 or v3 model fits, whatever its exact option types
  // (the real ones live in @ai-sdk/provider, which Taskforce does not depend on).
  doGenerate(options: never): PromiseLike<unknown>;
  doStream(options: never): PromiseLike<unknown>;
}

type AiSdkPart =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'tool-result'; toolCallId: string; toolName: string; output: { type: 'text' | 'error-text'; value: string } };

/** The call options we send (a subset of `LanguageModelV2CallOptions` / `V3CallOptions`). */
export interface AiSdkCallOptions {
  prompt: { role: 'system' | 'user' | 'assistant' | 'tool'; content: string | AiSdkPart[] }[];
  tools?: { type: 'function'; name: string; description?: string; inputSchema: Record<string, unknown> }[];
  toolChoice?: { type: 'auto' | 'none' | 'required' } | { type: 'tool'; toolName: string };
  responseFormat?: { type: 'json'; schema?: Record<string, unknown>; name?: string; description?: string };
  maxOutputTokens?: number;
  temperature?: number;
  stopSequences?: string[];
  abortSignal?: AbortSignal;
}

type AiSdkUsage = {
  inputTokens?: number | { total?: number; noCache?: number; cacheRead?: number; cacheWrite?: number } | undefined;
  outputTokens?: number | { total?: number } | undefined;
  cachedInputTokens?: number | undefined;
};
type AiSdkFinishReason = string | { unified?: string; raw?: string } | undefined;

interface AiSdkGenerateResult {
  content: ({ type: string; text?: string; toolCallId?: string; toolName?: string; input?: string })[];
  finishReason: AiSdkFinishReason;
  usage: AiSdkUsage;
  response?: { modelId?: string };
}

type AiSdkStreamPart = { type: string; [key: string]: unknown };

/** Settings of the AI SDK adapter. */
export interface AiSdkProviderOptions {
  /** Clock for `retry-after` dates; default the system clock. */
  readonly clock?: Clock;
}

/**
 * True for a Vercel AI SDK language model: `specificationVersion` `'v2'` or `'v3'` and a `doGenerate`
 * function. Checked wherever a model may be given, so such a model is wrapped, not mistaken for ours.
 */
export function isAiSdkModel(value: unknown): value is AiSdkLanguageModel {
  if (typeof value !== 'object' || value === null) return false;
  const model = value as Partial<AiSdkLanguageModel>;
  return (model.specificationVersion === 'v2' || model.specificationVersion === 'v3') && typeof model.doGenerate === 'function';
}

/**
 * A `ProviderModel` over any Vercel AI SDK language model (`@ai-sdk/openai`, `@ai-sdk/anthropic`,
 * `@ai-sdk/google`, `ollama-ai-provider`...). Construct the model with the AI SDK's own provider
 * package; retries happen once, in Taskforce's resilience layer (the model's `doGenerate` does not retry).
 * Structured output goes through the spec's `responseFormat: { type: 'json', schema }`.
 *
 * @example
 * import { createOpenAI } from '@ai-sdk/openai';
 * const model = createModel({ provider: aiSdkProvider(createOpenAI({ apiKey }).chat('gpt-4o-mini')) });
 * // or simply: createModel(createOpenAI({ apiKey }).chat('gpt-4o-mini'))
 */
export function aiSdkProvider(model: AiSdkLanguageModel, options: AiSdkProviderOptions = {}): ProviderModel {
  const clock = options.clock ?? systemClock();
  const provider = model.provider;
  const fail = (error: unknown, signal: AbortSignal | undefined) => mapAiSdkError(error, provider, clock.now(), signal);
  return {
    provider,
    modelId: model.modelId,
    endpoint: provider,
    structuredMode: 'json_schema',
    async doGenerate(request) {
      let result: AiSdkGenerateResult;
      try {
        result = (await model.doGenerate(toCallOptions(request) as never)) as AiSdkGenerateResult;
      } catch (error) {
        throw fail(error, request.signal);
      }
      const text = result.content.flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : [])).join('');
      const toolCalls: ToolCall[] = result.content.flatMap((part) =>
        part.type === 'tool-call' ? [{ id: part.toolCallId ?? '', name: part.toolName ?? '', input: toolInput(part.input) }] : [],
      );
      return toResult(text, toolCalls, result.finishReason, result.usage, result.response?.modelId ?? model.modelId);
    },
    async *doStream(request): AsyncIterable<ProviderStreamPart> {
      let text = '';
      const toolCalls: ToolCall[] = [];
      let modelId = model.modelId;
      let finish: { finishReason: AiSdkFinishReason; usage: AiSdkUsage } | undefined;
      try {
        const { stream } = (await model.doStream(toCallOptions(request) as never)) as { stream: ReadableStream<AiSdkStreamPart> };
        const reader = stream.getReader();
        try {
          for (;;) {
            const { done, value: part } = await reader.read();
            if (done) break;
            if (part.type === 'text-delta') {
              // v2 and v3 name the delta `delta`; older drafts used `textDelta`.
              const delta = String(part.delta ?? part.textDelta ?? '');
              if (delta) {
                text += delta;
                yield { type: 'text-delta', text: delta };
              }
            } else if (part.type === 'tool-call') {
              toolCalls.push({ id: String(part.toolCallId), name: String(part.toolName), input: toolInput(part.input) });
            } else if (part.type === 'response-metadata' && typeof part.modelId === 'string') {
              modelId = part.modelId;
            } else if (part.type === 'finish') {
              finish = { finishReason: part.finishReason as AiSdkFinishReason, usage: part.usage as AiSdkUsage };
            } else if (part.type === 'error') {
              throw part.error;
            }
          }
        } finally {
          reader.releaseLock();
        }
      } catch (error) {
        throw fail(error, request.signal);
      }
      if (!finish) throw new ModelConnectionError(provider, 'the stream ended without a finish part (the response was cut)');
      yield { type: 'finish', result: toResult(text, toolCalls, finish.finishReason, finish.usage, modelId) };
    },
  };
}

/** Tool call input arrives as a JSON string in results; parse it like our own providers do. */
function toolInput(input: unknown): unknown {
  return typeof input === 'string' ? parseToolArguments(input) : input;
}

function toResult(text: string, toolCalls: ToolCall[], reason: AiSdkFinishReason, usage: AiSdkUsage | undefined, modelId: string): ProviderResult {
  return { text, toolCalls, usage: toUsage(usage), stopReason: toStopReason(reason), modelId };
}

/** Our usage from v2 (numbers, `cachedInputTokens` included in input) or v3 (`{ total, noCache, cacheRead }`). */
export function toUsage(usage: AiSdkUsage | undefined): Usage {
  if (!usage) return { inputTokens: 0, outputTokens: 0 };
  const output = typeof usage.outputTokens === 'object' ? (usage.outputTokens?.total ?? 0) : (usage.outputTokens ?? 0);
  let input: number;
  let cacheRead: number | undefined;
  let cacheWrite: number | undefined;
  if (typeof usage.inputTokens === 'object' && usage.inputTokens !== null) {
    const { total, noCache, cacheRead: read, cacheWrite: write } = usage.inputTokens;
    cacheRead = read;
    cacheWrite = write;
    input = noCache ?? Math.max(0, (total ?? 0) - (read ?? 0) - (write ?? 0));
  } else {
    cacheRead = usage.cachedInputTokens;
    input = Math.max(0, (usage.inputTokens ?? 0) - (cacheRead ?? 0));
  }
  return {
    inputTokens: input,
    outputTokens: output,
    ...(cacheRead ? { cacheReadTokens: cacheRead } : {}),
    ...(cacheWrite ? { cacheWriteTokens: cacheWrite } : {}),
  };
}

function toStopReason(reason: AiSdkFinishReason): StopReason {
  const unified = typeof reason === 'object' ? reason?.unified : reason;
  switch (unified) {
    case 'stop':
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return 'other';
  }
}

/** Our request in the spec's call options: system first, tool results as `tool` messages. */
export function toCallOptions(request: ProviderRequest): AiSdkCallOptions {
  const prompt: AiSdkCallOptions['prompt'] = request.system ? [{ role: 'system', content: request.system }] : [];
  for (const message of request.messages) prompt.push(toPromptMessage(message));
  const tools = (request.tools ?? []).map((tool) => ({
    type: 'function' as const,
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
  }));
  const choice = request.toolChoice;
  const format = request.responseFormat;
  return {
    prompt,
    ...(tools.length > 0 ? { tools } : {}),
    ...(tools.length > 0 && choice
      ? { toolChoice: typeof choice === 'string' ? { type: choice } : { type: 'tool' as const, toolName: choice.name } }
      : {}),
    ...(format
      ? { responseFormat: { type: 'json' as const, schema: format.schema, name: format.name, ...(format.description ? { description: format.description } : {}) } }
      : {}),
    ...(request.maxTokens !== undefined ? { maxOutputTokens: request.maxTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.stopSequences?.length ? { stopSequences: [...request.stopSequences] } : {}),
    ...(request.signal ? { abortSignal: request.signal } : {}),
  };
}

function toPromptMessage(message: Message): AiSdkCallOptions['prompt'][number] {
  if (message.role === 'user') return { role: 'user', content: [{ type: 'text', text: message.content }] };
  if (message.role === 'tool')
    return {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: message.toolCallId,
          toolName: message.toolName,
          output: { type: message.isError ? 'error-text' : 'text', value: message.content },
        },
      ],
    };
  const content: AiSdkPart[] = message.content ? [{ type: 'text', text: message.content }] : [];
  for (const call of message.toolCalls ?? [])
    // A call whose arguments were not JSON goes back as the raw string it was.
    content.push({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.input ?? {} });
  return { role: 'assistant', content };
}

/**
 * The AI SDK's errors (`AI_APICallError` with `statusCode` and `responseHeaders`, aborts, network
 * failures) in our vocabulary. Matched by `name`, as the AI SDK's own `isInstance` does, so no import.
 */
function mapAiSdkError(error: unknown, provider: string, now: number, signal: AbortSignal | undefined): unknown {
  if (TaskforceError.isInstance(error)) return error;
  const e = error as { name?: unknown; message?: unknown; statusCode?: unknown; responseHeaders?: unknown; responseBody?: unknown; cause?: unknown };
  if (signal?.aborted || e?.name === 'AbortError') return new AbortedError(`${provider} call was aborted`, { cause: signal?.reason ?? error });
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (e?.name === 'AI_APICallError') {
    if (typeof e.statusCode === 'number') {
      let body: unknown;
      try {
        body = typeof e.responseBody === 'string' ? JSON.parse(e.responseBody) : undefined;
      } catch {
        body = undefined;
      }
      return httpError(provider, e.statusCode, { message, headers: e.responseHeaders, error: body }, now);
    }
    return new ModelConnectionError(provider, maskSecrets(message, []), { cause: error });
  }
  if (error instanceof TypeError && /fetch failed|network|ECONNREFUSED|socket/i.test(message))
    return new ModelConnectionError(provider, message, { cause: error });
  return error;
}
