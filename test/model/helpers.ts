import type { FixtureFileResponse } from '@copilotkit/aimock';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { createModel, type CreateModelOptions } from '../../src/model/create-model.js';
import type { GenerateRequest, GenerateResult, Model, ToolSpec } from '../../src/model/types.js';
import type { AimockServer, RawRoute } from '../support/aimock.js';
import { anthropicUnfinishedStream, openaiUnfinishedStream } from './wire.js';

/** Runs `model.stream` to the end: the text deltas in order and the `finish` result. */
export async function collectStream(model: Model, request: GenerateRequest): Promise<{ deltas: string[]; result: GenerateResult }> {
  const deltas: string[] = [];
  let result: GenerateResult | undefined;
  for await (const part of model.stream(request)) {
    if (part.type === 'text-delta') deltas.push(part.text);
    else result = part.result;
  }
  if (!result) throw new Error('stream ended without a finish part');
  return { deltas, result };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Drains an async iterable, for streams expected to fail. */
export async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable);
}

/**
 * Runs a stream expected to fail: the deltas that arrived first, and the error. `afterFirstDelta` runs
 * once the first text delta has reached the caller (e.g. to drop the connection at that point).
 */
export async function streamUntilError(
  model: Model,
  request: GenerateRequest,
  afterFirstDelta?: () => void,
): Promise<{ deltas: string[]; error: Error & Record<string, unknown> }> {
  const deltas: string[] = [];
  const error = await rejectionOf(
    (async () => {
      for await (const part of model.stream(request)) {
        if (part.type !== 'text-delta') continue;
        deltas.push(part.text);
        if (deltas.length === 1) afterFirstDelta?.();
      }
    })(),
  );
  return { deltas, error };
}

/** A switch for a raw reply's `dropWhen`: the connection is cut when `drop()` is called. */
export function dropSwitch(): { readonly when: Promise<void>; drop(): void } {
  let drop!: () => void;
  const when = new Promise<void>((resolve) => (drop = resolve));
  return { when, drop };
}

export const weather: ToolSpec = {
  name: 'get_weather',
  description: 'Current weather in a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

export const time: ToolSpec = {
  name: 'get_time',
  description: 'Local time in a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

export const Person = z.object({ name: z.string(), age: z.number().int(), nickname: z.string().optional() });

export type ProviderName = 'anthropic' | 'openai' | 'langchain';

/** `createModel` options for a test model; `resilience` defaults to no retries, `env` is always empty. */
export interface TestModelOptions extends Omit<CreateModelOptions, 'env'> {
  /** Default: the aimock server's base URL for this provider. */
  readonly baseURL?: string;
  /** Default: `claude-haiku-4-5` / `gpt-5-mini` / `gpt-4o-mini` (LangChain). */
  readonly model?: string;
}

/** What differs between the HTTP providers in a test, so one test can run over each. */
export interface ProviderCase {
  readonly name: ProviderName;
  /** A model through the real SDK, pointed at the aimock server. */
  model(options?: TestModelOptions): Model;
  /** This provider's root on the raw route. */
  rawBaseURL(raw: RawRoute): string;
  /** aimock usage fields in this provider's wire format. */
  usage(input: number, output: number): Record<string, number>;
  /** An aimock reply carrying `json` as structured output: a forced tool call (Anthropic) or the content (OpenAI). */
  structuredReply(json: string): FixtureFileResponse;
  /** The SSE of a reply that has streamed `texts` and not finished. */
  unfinishedStream(texts: readonly string[]): string;
  /** What a streaming request body must contain. */
  readonly streamRequest: Record<string, unknown>;
}

/**
 * The test case of one provider; read `server()` only inside tests (it is started in `beforeAll`).
 * `langchain` is LangChain's `ChatOpenAI` wrapped by our LangChain adapter, so it speaks OpenAI's wire.
 */
export function providerCase(name: ProviderName, server: () => AimockServer): ProviderCase {
  const model = (defaultModel: string, baseURL: () => string) => (options: TestModelOptions = {}) => {
    const { baseURL: given, model: modelId, resilience, ...rest } = options;
    const connection = { model: modelId ?? defaultModel, apiKey: 'test-key', baseURL: given ?? baseURL() };
    const spec =
      name === 'langchain'
        ? { provider: name, model: new ChatOpenAI({ model: connection.model, apiKey: connection.apiKey, maxRetries: 0, configuration: { baseURL: connection.baseURL } }) }
        : { provider: name, ...connection };
    return createModel(spec, { resilience: resilience ?? { retry: { maxRetries: 0 } }, env: {}, ...rest });
  };
  const openaiWire = {
    rawBaseURL: (raw: RawRoute) => raw.openaiBaseURL,
    usage: (input: number, output: number) => ({ prompt_tokens: input, completion_tokens: output }),
    structuredReply: (json: string): FixtureFileResponse => ({ content: json }),
    unfinishedStream: openaiUnfinishedStream,
    streamRequest: { stream: true, stream_options: { include_usage: true } },
  };
  switch (name) {
    case 'anthropic':
      return {
        name,
        model: model('claude-haiku-4-5', () => server().anthropicBaseURL),
        rawBaseURL: (raw) => raw.baseURL,
        usage: (input, output) => ({ input_tokens: input, output_tokens: output }),
        structuredReply: (json) => ({ toolCalls: [{ name: 'result', arguments: json }] }),
        unfinishedStream: anthropicUnfinishedStream,
        streamRequest: { stream: true },
      };
    case 'openai':
      return { name, model: model('gpt-5-mini', () => server().openaiBaseURL), ...openaiWire };
    case 'langchain':
      return {
        name,
        model: model('gpt-4o-mini', () => server().openaiBaseURL),
        ...openaiWire,
        // Over a tool-calling chat model the adapter forces a tool call for structured output.
        structuredReply: (json) => ({ toolCalls: [{ name: 'result', arguments: json }] }),
      };
  }
}

/** Both HTTP providers, for `it.each` / `describe.each`. */
export function providerCases(server: () => AimockServer): readonly ProviderCase[] {
  return [providerCase('anthropic', server), providerCase('openai', server)];
}
