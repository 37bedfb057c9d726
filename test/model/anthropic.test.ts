import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ModelApiError, ModelConnectionError, ModelResponseError } from '../../src/errors/model-errors.js';
import { RefusalError, StructuredOutputError, TruncatedOutputError } from '../../src/errors/output-errors.js';
import { AbortedError } from '../../src/errors/taskforce-error.js';
import { createModel } from '../../src/model/create-model.js';
import type { Model, ToolSpec } from '../../src/model/types.js';
import { manualClock } from '../../src/util/clock.js';
import { startAimock, useAimock } from '../support/aimock.js';
import { collectStream, drain, rejectionOf, streamUntilError } from './helpers.js';

const server = useAimock();

function anthropic(options: { baseURL?: string; clock?: ReturnType<typeof manualClock> } = {}): Model {
  return createModel(
    { provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'test-key', baseURL: options.baseURL ?? server().anthropicBaseURL },
    { resilience: { retry: { maxRetries: 0 } }, env: {}, ...(options.clock ? { clock: options.clock } : {}) },
  );
}

/** A Messages API response body, for the raw route. */
function message(content: unknown[], extra: Record<string, unknown> = {}) {
  return {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-haiku-4-5-20251001',
    content,
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
    ...extra,
  };
}

/** An Anthropic SSE body from events. */
function sse(events: Record<string, unknown>[]): string {
  return events.map((event) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`).join('');
}

const weather: ToolSpec = {
  name: 'get_weather',
  description: 'Current weather in a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const time: ToolSpec = {
  name: 'get_time',
  description: 'Local time in a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const Person = z.object({ name: z.string(), age: z.number().int(), nickname: z.string().optional() });

describe('anthropic provider: text', () => {
  it('returns text, usage and cost, sending system and max_tokens once without SDK retries', async () => {
    server().mock.onMessage('capital of Italy', { content: 'Rome.', usage: { input_tokens: 2000, output_tokens: 100 } });
    const result = await anthropic().generate({ system: 'Be brief.', prompt: 'What is the capital of Italy?', maxTokens: 64 });

    expect(result).toMatchObject({ text: 'Rome.', toolCalls: [], stopReason: 'end_turn', modelId: 'claude-haiku-4-5' });
    expect(result.usage).toEqual({ inputTokens: 2000, outputTokens: 100 });
    // claude-haiku-4-5: $1 / 1M input, $5 / 1M output
    expect(result.costUsd).toBeCloseTo(2000e-6 + 100 * 5e-6, 12);
    const entries = server().modelEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.headers['x-stainless-retry-count']).toBe('0');
    expect(entries[0]!.body).toMatchObject({ max_tokens: 64, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user' }] });
  });

  it('reads cache reads and writes separately and prices each at its rate', async () => {
    const raw = server().raw;
    raw.reply({
      body: message([{ type: 'text', text: 'cached' }], {
        usage: { input_tokens: 50, output_tokens: 20, cache_read_input_tokens: 3000, cache_creation_input_tokens: 1000 },
      }),
    });
    const result = await anthropic({ baseURL: raw.baseURL }).generate({ prompt: 'hi' });

    expect(result.usage).toEqual({ inputTokens: 50, outputTokens: 20, cacheReadTokens: 3000, cacheWriteTokens: 1000 });
    expect(result.modelId).toBe('claude-haiku-4-5-20251001');
    expect(result.costUsd).toBeCloseTo(50 * 1e-6 + 20 * 5e-6 + 3000 * 0.1e-6 + 1000 * 1.25e-6, 12);
    expect(raw.requests[0]!.body).toMatchObject({ model: 'claude-haiku-4-5', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
  });

  it('reports a max-tokens cut as stopReason "max_tokens"', async () => {
    server().mock.onMessage('long poem', { content: 'Roses are', finishReason: 'length' });
    expect(await anthropic().generate({ prompt: 'a long poem' })).toMatchObject({ text: 'Roses are', stopReason: 'max_tokens' });
  });

  it('reports the refusal stop reason', async () => {
    server().mock.onMessage('forbidden', { content: '', finishReason: 'refusal' });
    expect((await anthropic().generate({ prompt: 'forbidden' })).stopReason).toBe('refusal');
  });
});

describe('anthropic provider: tool calls', () => {
  it('returns several tool_use blocks of one reply as tool calls', async () => {
    server().mock.onMessage('Tokyo weather and time', {
      toolCalls: [
        { id: 'toolu_w', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
        { id: 'toolu_t', name: 'get_time', arguments: '{"city":"Tokyo"}' },
      ],
    });
    const result = await anthropic().generate({ prompt: 'Tokyo weather and time?', tools: [weather, time] });
    expect(result.stopReason).toBe('tool_use');
    expect(result.toolCalls).toEqual([
      { id: 'toolu_w', name: 'get_weather', input: { city: 'Tokyo' } },
      { id: 'toolu_t', name: 'get_time', input: { city: 'Tokyo' } },
    ]);
  });

  it('sends tools, tool_choice and the tool round trip as the Messages API expects', async () => {
    const raw = server().raw;
    raw.reply({ body: message([{ type: 'text', text: 'Sunny, 14:00.' }]) });
    await anthropic({ baseURL: raw.baseURL }).generate({
      tools: [weather, time],
      toolChoice: 'required',
      messages: [
        { role: 'user', content: 'Weather and time in Paris?' },
        {
          role: 'assistant',
          content: 'Checking.',
          toolCalls: [
            { id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            { id: 'toolu_2', name: 'get_time', input: { city: 'Paris' } },
          ],
        },
        { role: 'tool', toolCallId: 'toolu_1', toolName: 'get_weather', content: 'sunny' },
        { role: 'tool', toolCallId: 'toolu_2', toolName: 'get_time', content: 'no clock', isError: true },
      ],
    });
    expect(raw.requests[0]!.body).toMatchObject({
      tools: [
        { name: 'get_weather', description: weather.description, input_schema: weather.inputSchema },
        { name: 'get_time', description: time.description, input_schema: time.inputSchema },
      ],
      tool_choice: { type: 'any' },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather and time in Paris?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: { city: 'Paris' } },
          ],
        },
        // both results in the one user turn that follows the tool calls
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'no clock', is_error: true },
          ],
        },
      ],
    });
  });

  it('keeps streamed tool input that is not JSON as the raw string', async () => {
    const raw = server().raw;
    raw.reply({
      contentType: 'text/event-stream',
      body: sse([
        { type: 'message_start', message: message([], { stop_reason: null }) },
        { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_x', name: 'get_weather', input: {} } },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"city": Par' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 7 } },
        { type: 'message_stop' },
      ]),
    });
    const { result } = await collectStream(anthropic({ baseURL: raw.baseURL }), { prompt: 'x', tools: [weather] });
    expect(result.toolCalls).toEqual([{ id: 'toolu_x', name: 'get_weather', input: '{"city": Par' }]);
    expect(result.usage).toEqual({ inputTokens: 10, outputTokens: 7 });
  });
});

describe('anthropic provider: streaming', () => {
  it('streams text deltas and finishes with the same result as generate', async () => {
    server().mock.onMessage('a haiku', { content: 'Old pond, frog jumps in, splash.', usage: { input_tokens: 9, output_tokens: 11 } }, { chunkSize: 4 });
    const model = anthropic();
    const plain = await model.generate({ prompt: 'a haiku' });
    const { deltas, result } = await collectStream(model, { prompt: 'a haiku' });

    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Old pond, frog jumps in, splash.');
    expect(result).toEqual(plain);
  });

  it('assembles streamed text and several tool calls into the same result as generate', async () => {
    server().mock.onMessage('look both up', {
      content: 'Let me check.',
      toolCalls: [
        { id: 'toolu_a', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { id: 'toolu_b', name: 'get_time', arguments: '{"city":"Lima"}' },
      ],
    }, { chunkSize: 3 });
    const model = anthropic();
    const request = { prompt: 'look both up', tools: [weather, time] };
    const plain = await model.generate(request);
    const { result } = await collectStream(model, request);

    expect(result).toEqual(plain);
    expect(result.text).toBe('Let me check.');
    expect(result.toolCalls.map((c) => c.input)).toEqual([{ city: 'Oslo' }, { city: 'Lima' }]);
  });

  it('turns a stream cut mid-reply into ModelConnectionError', async () => {
    server().mock.onMessage('cut me', { content: 'this reply will never finish arriving' }, { chunkSize: 3, truncateAfterChunks: 5, latency: 5 });
    const { deltas, error } = await streamUntilError(anthropic(), { prompt: 'cut me' });
    expect(deltas.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(ModelConnectionError);
  });

  it('treats a stream that closes cleanly before message_stop as cut', async () => {
    const raw = server().raw;
    raw.reply({
      contentType: 'text/event-stream',
      body: sse([
        { type: 'message_start', message: message([], { stop_reason: null }) },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'half a rep' } },
      ]),
    });
    expect(await rejectionOf(drain(anthropic({ baseURL: raw.baseURL }).stream({ prompt: 'x' })))).toBeInstanceOf(ModelConnectionError);
  });
});

describe('anthropic provider: structured output', () => {
  it('forces a tool named after the schema and returns its input as the object', async () => {
    const raw = server().raw;
    raw.reply({ body: message([{ type: 'tool_use', id: 'toolu_r', name: 'person', input: { name: 'Ada', age: 36 } }], { stop_reason: 'tool_use' }) });
    const result = await anthropic({ baseURL: raw.baseURL }).generateObject({
      prompt: 'Extract: Ada Lovelace, 36',
      schema: Person,
      schemaName: 'person',
      schemaDescription: 'The person mentioned',
    });

    expect(result).toMatchObject({ object: { name: 'Ada', age: 36 }, repairs: 0, raw: '{"name":"Ada","age":36}' });
    const body = raw.requests[0]!.body as { tools: { name: string; description: string; input_schema: { required: string[] } }[]; tool_choice: unknown };
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'person' });
    expect(body.tools).toHaveLength(1);
    expect(body.tools[0]).toMatchObject({ name: 'person', description: 'The person mentioned' });
    expect(body.tools[0]!.input_schema.required).toEqual(['name', 'age']);
  });

  it('re-asks with the validation issues and returns the repaired object', async () => {
    server().mock.onMessage('Grace Hopper', { toolCalls: [{ name: 'result', arguments: '{"name":"Grace"}' }] });
    server().mock.onMessage('did not match the required JSON schema', { toolCalls: [{ name: 'result', arguments: '{"name":"Grace","age":85}' }] });
    const result = await anthropic().generateObject({ prompt: 'Extract: Grace Hopper, 85', schema: Person });

    expect(result).toMatchObject({ object: { name: 'Grace', age: 85 }, repairs: 1 });
    const second = server().modelRequests()[1]!.messages as { role: string; content: string }[];
    expect(second.at(-1)!.content).toContain('age:');
  });

  it('fails with StructuredOutputError carrying the raw output and issues when every reply is invalid', async () => {
    server().mock.onMessage(/./, { toolCalls: [{ name: 'result', arguments: '{"age":"old"}' }] });
    const error = await rejectionOf(anthropic().generateObject({ prompt: 'Extract: nobody', schema: Person }));

    expect(error).toBeInstanceOf(StructuredOutputError);
    const structured = error as unknown as StructuredOutputError;
    expect(structured.raw).toBe('{"age":"old"}');
    expect(structured.attempts).toBe(3);
    expect(structured.issues.some((issue) => issue.startsWith('name:'))).toBe(true);
    expect(server().modelEntries()).toHaveLength(3);
  });

  it('throws TruncatedOutputError when the forced tool call was cut at max tokens', async () => {
    server().mock.onMessage('big object', { toolCalls: [{ name: 'result', arguments: '{"name":"Ada"}' }], finishReason: 'length' });
    const error = await rejectionOf(anthropic().generateObject({ prompt: 'big object', schema: Person, maxTokens: 5 }));
    expect(error).toBeInstanceOf(TruncatedOutputError);
    expect((error as unknown as TruncatedOutputError).maxTokens).toBe(5);
  });

  it('throws RefusalError on the refusal stop reason', async () => {
    server().mock.onMessage('forbidden', { content: '', finishReason: 'refusal' });
    expect(await rejectionOf(anthropic().generateObject({ prompt: 'forbidden', schema: Person }))).toBeInstanceOf(RefusalError);
  });

  it('wraps a non-object schema for the tool input and unwraps the reply', async () => {
    server().mock.onMessage('list primes', { toolCalls: [{ name: 'result', arguments: '{"value":[2,3,5]}' }] });
    expect((await anthropic().generateObject({ prompt: 'list primes', schema: z.array(z.number()) })).object).toEqual([2, 3, 5]);
  });
});

describe('anthropic provider: errors', () => {
  it('maps a 429 to ModelApiError with retry-after in ms, without SDK retries', async () => {
    server().mock.onMessage('busy', { error: { message: 'Number of requests has exceeded your rate limit', type: 'rate_limit_error' }, status: 429, retryAfter: 3 });
    const error = await rejectionOf(anthropic().generate({ prompt: 'busy' }));

    expect(error).toBeInstanceOf(ModelApiError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 3000, provider: 'anthropic' });
    expect(error.message).toContain('exceeded your rate limit');
    expect(server().modelEntries()).toHaveLength(1);
  });

  it('reads the anthropic-ratelimit reset time of a 429 against the injected clock', async () => {
    const clock = manualClock(Date.parse('2026-01-01T00:00:00Z'));
    const raw = server().raw;
    raw.reply({
      status: 429,
      headers: { 'anthropic-ratelimit-tokens-reset': '2026-01-01T00:00:12Z', 'anthropic-ratelimit-requests-reset': '2026-01-01T00:00:02Z' },
      body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
    });
    const error = await rejectionOf(anthropic({ baseURL: raw.baseURL, clock }).generate({ prompt: 'x' }));
    expect(error).toMatchObject({ status: 429, retryAfterMs: 12_000 });
  });

  it('maps a malformed JSON body to ModelResponseError', async () => {
    server().mock.onMessage('garbled', { content: 'x' }, { chaos: { malformedRate: 1 } });
    expect(await rejectionOf(anthropic().generate({ prompt: 'garbled' }))).toBeInstanceOf(ModelResponseError);
  });

  it('maps a refused connection to ModelConnectionError', async () => {
    const gone = await startAimock();
    const baseURL = gone.anthropicBaseURL;
    await gone.stop();
    expect(await rejectionOf(anthropic({ baseURL }).generate({ prompt: 'anyone?' }))).toBeInstanceOf(ModelConnectionError);
  });

  it('maps an aborted call to AbortedError', async () => {
    server().mock.onMessage('slow', { content: 'late' }, { latency: 5_000 });
    const controller = new AbortController();
    const pending = anthropic().generate({ prompt: 'slow', signal: controller.signal });
    controller.abort();
    expect(await rejectionOf(pending)).toBeInstanceOf(AbortedError);
  });
});
