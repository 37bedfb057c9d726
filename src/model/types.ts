import type { SchemaInput } from './schema-adapter.js';

/** A JSON Schema object (as produced by zod v4's `z.toJSONSchema`). */
export type JsonSchema = Record<string, unknown>;

/** A tool the model may call, as the model sees it. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the tool's input object. */
  readonly inputSchema: JsonSchema;
}

/** A tool call the model asked for. */
export interface ToolCall {
  /** Provider's id for the call; tool results refer back to it. */
  readonly id: string;
  readonly name: string;
  /** Parsed arguments. If the model sent arguments that are not JSON, this is the raw string. */
  readonly input: unknown;
}

/** One turn of a conversation: the user, the assistant (with the tool calls it made), or a tool result. */
export type Message =
  | { readonly role: 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ToolCall[] }
  | {
      readonly role: 'tool';
      readonly toolCallId: string;
      readonly toolName: string;
      readonly content: string;
      readonly isError?: boolean;
    };

export { addUsage, ZERO_USAGE, type Usage } from '../util/usage.js';
import type { Usage } from '../util/usage.js';

/**
 * Why the model stopped. `max_tokens` means the output was cut and must not be treated as complete;
 * `refusal` means the model declined (OpenAI `refusal`, Anthropic `refusal` stop reason).
 */
export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'other';

/** Whether the model may, must not, or must call a tool, or which one it must call. */
export type ToolChoice = 'auto' | 'none' | 'required' | { readonly name: string };

/** Asks the provider for JSON matching a schema, by its native mechanism. */
export interface ResponseFormat {
  readonly type: 'json';
  /** Short identifier for the schema (tool name for Anthropic, json_schema.name for OpenAI). */
  readonly name: string;
  readonly description?: string;
  readonly schema: JsonSchema;
}

/**
 * Who a model call serves, put on its `model.call.*` and `model.repair` events: the run, the task and
 * the agent. Tags are bookkeeping only: never sent to the provider, never part of a cassette's request
 * hash, never a reason for the resilience layer to behave differently.
 */
export interface CallTags {
  readonly runId?: string;
  readonly taskId?: string;
  readonly agent?: string;
}

/** One model call: a prompt or messages, optional system prompt, tools and limits. */
export interface GenerateRequest {
  readonly system?: string;
  /** Shorthand for one user message; ignored when `messages` is given. */
  readonly prompt?: string;
  readonly messages?: readonly Message[];
  readonly tools?: readonly ToolSpec[];
  readonly toolChoice?: ToolChoice;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly stopSequences?: readonly string[];
  readonly signal?: AbortSignal;
  /** Event tags of this call, merged over the model's own (`ModelWrapperOptions.tags`); the call's win. */
  readonly tags?: CallTags;
}

/** What a provider adapter receives: a request with messages resolved, plus an optional response format. */
export interface ProviderRequest extends Omit<GenerateRequest, 'prompt' | 'messages' | 'tags'> {
  readonly messages: readonly Message[];
  readonly responseFormat?: ResponseFormat;
  /** Set by the resilience layer: the merged caller + timeout signal. */
  readonly signal?: AbortSignal;
  /** The id of this call in `model.call.*` events (set by `modelFromProvider`), so retry events correlate. */
  readonly callId?: string;
}

/** What a provider adapter returns, before pricing. */
export interface ProviderResult {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly usage: Usage;
  readonly stopReason: StopReason;
  /** The model id the provider reports having used. */
  readonly modelId: string;
  /** Refusal text, when the provider reports one separately (OpenAI `message.refusal`). */
  readonly refusal?: string;
}

/** What `generate` returns: the provider's result priced in USD. */
export interface GenerateResult extends ProviderResult {
  readonly costUsd: number;
}

/** What `stream` yields: text deltas as they arrive, then one `finish` with the full result. */
export type StreamPart =
  | { readonly type: 'text-delta'; readonly text: string }
  | { readonly type: 'finish'; readonly result: GenerateResult };

/** What a provider adapter's `doStream` yields (the result is not priced yet). */
export type ProviderStreamPart =
  | { readonly type: 'text-delta'; readonly text: string }
  | { readonly type: 'finish'; readonly result: ProviderResult };

/**
 * The seam a provider implements: Anthropic, OpenAI, LangChain, scripted, cassette replay.
 * It translates one request to one provider call and maps the provider's errors to
 * `ModelApiError` / `ModelConnectionError` / `ModelResponseError`. It does not retry.
 */
export interface ProviderModel {
  readonly provider: string;
  readonly modelId: string;
  /** Where calls go (base URL); the circuit breaker keys on it. Defaults to `provider`. */
  readonly endpoint?: string;
  /** How this provider delivers `responseFormat` natively (informational; used in docs and events). */
  readonly structuredMode: 'tool' | 'json_schema' | 'prompt';
  /**
   * Loads the SDK and builds the client now rather than at the first call, for a process whose first
   * calls must not wait on it (a worker under a shared rate limit). Optional; idempotent.
   */
  connect?(): Promise<void>;
  doGenerate(request: ProviderRequest): Promise<ProviderResult>;
  doStream(request: ProviderRequest): AsyncIterable<ProviderStreamPart>;
}

/** A `generate` request plus the schema the reply must match (zod 4, zod 3 or a Standard Schema validator). */
export interface GenerateObjectRequest<T> extends GenerateRequest {
  readonly schema: SchemaInput<T>;
  /** Name of the schema as the model sees it; default `"result"`. */
  readonly schemaName?: string;
  readonly schemaDescription?: string;
  /** How many times to re-ask with the validation errors after an invalid reply; default 2. */
  readonly maxRepairs?: number;
}

/** A validated object, with the usage and cost of every attempt it took. */
export interface GenerateObjectResult<T> {
  readonly object: T;
  readonly usage: Usage;
  readonly costUsd: number;
  /** Number of re-asks it took (0 when the first reply was valid). */
  readonly repairs: number;
  readonly raw: string;
}

/** The model interface everything above the model layer uses. Create one with `createModel`. */
export interface Model {
  readonly provider: string;
  readonly modelId: string;
  /**
   * USD per million input and output tokens, when known: budgets reserve a call's worst case at this
   * price before it is made. Absent (scripted models, unknown ids): calls are reserved at $0.
   */
  readonly price?: { readonly input: number; readonly output: number };
  /** Its provider's `connect`, when it has one: the SDK loaded and the client built ahead of the first call. */
  connect?(): Promise<void>;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Text deltas as they arrive, then one `finish` part with the same result `generate` would give. */
  stream(request: GenerateRequest): AsyncIterable<StreamPart>;
  generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>>;
}

/**
 * `over`'s tags on top of `base`'s; a tag `over` leaves undefined keeps `base`'s value. Only the three
 * tag fields are copied, so a tag object can never overwrite other fields of the event it is spread into.
 */
export function mergeCallTags(base: CallTags | undefined, over: CallTags | undefined): CallTags {
  const out: { -readonly [K in keyof CallTags]: CallTags[K] } = {};
  for (const key of ['runId', 'taskId', 'agent'] as const) {
    const value = over?.[key] ?? base?.[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Resolves `prompt` / `messages` into the message list a provider receives. */
export function requestMessages(request: GenerateRequest): readonly Message[] {
  if (request.messages && request.messages.length > 0) return request.messages;
  if (request.prompt !== undefined) return [{ role: 'user', content: request.prompt }];
  return [];
}
