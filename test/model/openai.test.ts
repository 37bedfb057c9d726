import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ModelApiError, ModelConnectionError, ModelResponseError } from '../../src/errors/model-errors.js';
import { RefusalError, StructuredOutputError, TruncatedOutputError } from '../../src/errors/output-errors.js';
import { AbortedError } from '../../src/errors/taskforce-error.js';
import { createEventBus } from '../../src/events/bus.js';
import type { TaskforceEvent } from '../../src/events/types.js';
import { createModel } from '../../src/model/create-model.js';
import type { Model, ToolSpec } from '../../src/model/types.js';
import { manualClock } from '../../src/util/clock.js';
import { startAimock, useAimock } from '../support/aimock.js';
import { collectStream, drain, rejectionOf, streamUntilError } from './helpers.js';

const server = useAimock();
const noRetries = { retry: { maxRetries: 0 } };

function openai(options: { baseURL?: string; model?: string; events?: ReturnType<typeof createEventBus> } = {}): Model {
  return createModel(
    { provider: 'openai', model: options.model ?? 'gpt-5-mini', apiKey: 'test-key', baseURL: options.baseURL ?? server().openaiBaseURL },
    { resilience: noRetries, env: {}, ...(options.events ? { events: options.events } : {}) },
  );
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

describe('openai provider: text', () => {
  it('returns text, usage and the cost priced from the table, and sends one request without SDK retries', async () => {
    server().mock.onMessage('capital of France', {
      content: 'Paris.',
      usage: { prompt_tokens: 1000, completion_tokens: 200 },
    });
    const result = await openai().generate({ system: 'Be brief.', prompt: 'What is the capital of France?' });

    expect(result).toMatchObject({ text: 'Paris.', toolCalls: [], stopReason: 'end_turn', modelId: 'gpt-5-mini' });
    expect(result.usage).toEqual({ inputTokens: 1000, outputTokens: 200 });
    // gpt-5-mini: $0.25 / 1M input, $2 / 1M output
    expect(result.costUsd).toBeCloseTo(1000 * 0.25e-6 + 200 * 2e-6, 12);
    const entries = server().modelEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.headers['x-stainless-retry-count']).toBe('0');
    expect(entries[0]!.body).toMatchObject({
      model: 'gpt-5-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    });
  });

  it('moves cached prompt tokens out of inputTokens into cacheReadTokens and prices them at the cache rate', async () => {
    const raw = server().raw;
    raw.reply({
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 0,
        model: 'gpt-5-mini-2025-08-07',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok', refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 1000, completion_tokens: 10, total_tokens: 1010, prompt_tokens_details: { cached_tokens: 800 } },
      },
    });
    const result = await openai({ baseURL: raw.openaiBaseURL }).generate({ prompt: 'hi' });

    expect(result.usage).toEqual({ inputTokens: 200, outputTokens: 10, cacheReadTokens: 800 });
    expect(result.modelId).toBe('gpt-5-mini-2025-08-07');
    expect(result.costUsd).toBeCloseTo(200 * 0.25e-6 + 10 * 2e-6 + 800 * 0.025e-6, 12);
  });

  it('sends maxTokens as max_completion_tokens, plus temperature and stop sequences', async () => {
    server().mock.onMessage('limits', { content: 'fine' });
    await openai().generate({ prompt: 'limits', maxTokens: 321, temperature: 0.2, stopSequences: ['END'] });
    expect(server().modelRequests()[0]).toMatchObject({ max_completion_tokens: 321, temperature: 0.2, stop: ['END'] });
  });

  it('reports a max-tokens cut as stopReason "max_tokens"', async () => {
    server().mock.onMessage('long essay', { content: 'It was the best of', finishReason: 'length' });
    const result = await openai().generate({ prompt: 'Write a long essay' });
    expect(result).toMatchObject({ text: 'It was the best of', stopReason: 'max_tokens' });
  });

  it('reports message.refusal as a refusal', async () => {
    const raw = server().raw;
    raw.reply({
      body: {
        id: 'chatcmpl-2',
        object: 'chat.completion',
        created: 0,
        model: 'gpt-5-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: 'I cannot help with that.' }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 },
      },
    });
    const result = await openai({ baseURL: raw.openaiBaseURL }).generate({ prompt: 'something bad' });
    expect(result).toMatchObject({ text: '', stopReason: 'refusal', refusal: 'I cannot help with that.' });
  });
});

describe('openai provider: tool calls', () => {
  it('returns several tool calls of one reply, and sends tools and tool_choice as Chat Completions expects', async () => {
    server().mock.onMessage('Paris weather and time', {
      toolCalls: [
        { id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'call_t', name: 'get_time', arguments: '{"city":"Paris"}' },
      ],
    });
    const result = await openai().generate({ prompt: 'Paris weather and time?', tools: [weather, time], toolChoice: 'required' });

    expect(result.stopReason).toBe('tool_use');
    expect(result.toolCalls).toEqual([
      { id: 'call_w', name: 'get_weather', input: { city: 'Paris' } },
      { id: 'call_t', name: 'get_time', input: { city: 'Paris' } },
    ]);
    expect(server().modelRequests()[0]).toMatchObject({
      tools: [
        { type: 'function', function: { name: 'get_weather', description: weather.description, parameters: weather.inputSchema } },
        { type: 'function', function: { name: 'get_time', description: time.description, parameters: time.inputSchema } },
      ],
      tool_choice: 'required',
    });
  });

  it('forces a named tool with tool_choice {type:function}', async () => {
    server().mock.onMessage('forced', { toolCalls: [{ id: 'c1', name: 'get_time', arguments: '{"city":"Rome"}' }] });
    await openai().generate({ prompt: 'forced', tools: [weather, time], toolChoice: { name: 'get_time' } });
    expect(server().modelRequests()[0]!.tool_choice).toEqual({ type: 'function', function: { name: 'get_time' } });
  });

  it('keeps tool arguments that are not JSON as the raw string instead of failing', async () => {
    server().mock.onMessage('broken args', { toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city": Paris' }] });
    const result = await openai().generate({ prompt: 'broken args', tools: [weather] });
    expect(result.toolCalls).toEqual([{ id: 'c1', name: 'get_weather', input: '{"city": Paris' }]);
  });

  it('sends the assistant tool calls and the tool results back in the next turn', async () => {
    server().mock.onToolResult('call_w', { content: 'It is sunny in Paris.' });
    const result = await openai().generate({
      tools: [weather],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_w', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'tool', toolCallId: 'call_w', toolName: 'get_weather', content: '{"sky":"sunny"}' },
      ],
    });
    expect(result.text).toBe('It is sunny in Paris.');
    expect(server().modelRequests()[0]!.messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_w', content: '{"sky":"sunny"}' },
    ]);
  });
});

describe('openai provider: streaming', () => {
  it('streams text deltas and finishes with the same result as generate, usage included', async () => {
    server().mock.onMessage('tell a story', { content: 'Once upon a time, a model streamed.', usage: { prompt_tokens: 12, completion_tokens: 9 } }, { chunkSize: 5 });
    const model = openai();
    const request = { prompt: 'tell a story' };
    const plain = await model.generate(request);
    const { deltas, result } = await collectStream(model, request);

    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Once upon a time, a model streamed.');
    expect(result).toEqual(plain);
    expect(server().modelRequests()[1]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('assembles streamed tool calls, several per reply, into the same calls generate returns', async () => {
    server().mock.onMessage('both tools', {
      toolCalls: [
        { id: 'call_a', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { id: 'call_b', name: 'get_time', arguments: '{"city":"Lima"}' },
      ],
    }, { chunkSize: 4 });
    const model = openai();
    const request = { prompt: 'both tools', tools: [weather, time] };
    const plain = await model.generate(request);
    const { result } = await collectStream(model, request);

    expect(result.toolCalls).toEqual([
      { id: 'call_a', name: 'get_weather', input: { city: 'Oslo' } },
      { id: 'call_b', name: 'get_time', input: { city: 'Lima' } },
    ]);
    expect(result).toEqual(plain);
  });

  it('turns a stream cut mid-reply into ModelConnectionError', async () => {
    server().mock.onMessage('cut me', { content: 'this reply will never finish arriving' }, { chunkSize: 3, truncateAfterChunks: 3, latency: 5 });
    const { deltas, error } = await streamUntilError(openai(), { prompt: 'cut me' });
    expect(deltas.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(ModelConnectionError);
  });

  it('treats a stream that closes cleanly before any finish_reason as cut', async () => {
    const raw = server().raw;
    const chunk = { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'gpt-5-mini', choices: [{ index: 0, delta: { content: 'half a rep' }, finish_reason: null }] };
    raw.reply({ contentType: 'text/event-stream', body: `data: ${JSON.stringify(chunk)}\n\n` });
    const error = await rejectionOf(drain(openai({ baseURL: raw.openaiBaseURL }).stream({ prompt: 'x' })));
    expect(error).toBeInstanceOf(ModelConnectionError);
  });
});

describe('openai provider: structured output', () => {
  it('asks for json_schema (not strict, so optional fields are allowed) and returns the typed object', async () => {
    server().mock.onMessage('Ada Lovelace', { content: '{"name":"Ada","age":36}' });
    const result = await openai().generateObject({ prompt: 'Extract: Ada Lovelace, 36', schema: Person, schemaName: 'person' });

    expect(result).toMatchObject({ object: { name: 'Ada', age: 36 }, repairs: 0, raw: '{"name":"Ada","age":36}' });
    const format = server().modelRequests()[0]!.response_format as Record<string, unknown>;
    expect(format).toMatchObject({ type: 'json_schema', json_schema: { name: 'person', strict: false } });
    expect((format.json_schema as { schema: { required: string[] } }).schema.required).toEqual(['name', 'age']);
  });

  it('re-asks with the validation issues and returns the repaired object', async () => {
    server().mock.onMessage('Grace Hopper', { content: '{"name":"Grace","age":"eighty-five"}' });
    server().mock.onMessage('did not match the required JSON schema', { content: '{"name":"Grace","age":85}' });
    const events: TaskforceEvent[] = [];
    const bus = createEventBus({ clock: manualClock() });
    bus.on((event) => events.push(event));
    const result = await openai({ events: bus }).generateObject({ prompt: 'Extract: Grace Hopper, 85', schema: Person });

    expect(result).toMatchObject({ object: { name: 'Grace', age: 85 }, repairs: 1 });
    const second = server().modelRequests()[1]!.messages as { role: string; content: string }[];
    expect(second.at(-2)).toEqual({ role: 'assistant', content: '{"name":"Grace","age":"eighty-five"}' });
    expect(second.at(-1)!.content).toContain('age:');
    expect(events.filter((e) => e.type === 'model.repair')).toHaveLength(1);
  });

  it('fails with StructuredOutputError carrying the raw output and issues when every reply is invalid', async () => {
    server().mock.onMessage(/./, { content: '{"name":42}' });
    const error = await rejectionOf(openai().generateObject({ prompt: 'Extract: nobody', schema: Person, maxRepairs: 1 }));

    expect(error).toBeInstanceOf(StructuredOutputError);
    const structured = error as unknown as StructuredOutputError;
    expect(structured.raw).toBe('{"name":42}');
    expect(structured.attempts).toBe(2);
    expect(structured.issues.some((issue) => issue.startsWith('name:'))).toBe(true);
    expect(structured.issues.some((issue) => issue.startsWith('age:'))).toBe(true);
    expect(server().modelEntries()).toHaveLength(2);
  });

  it('wraps a non-object schema in an object for json_schema and unwraps the reply', async () => {
    server().mock.onMessage('list primes', { content: '{"value":[2,3,5]}' });
    const result = await openai().generateObject({ prompt: 'list primes', schema: z.array(z.number()) });
    expect(result.object).toEqual([2, 3, 5]);
    const schema = (server().modelRequests()[0]!.response_format as { json_schema: { schema: Record<string, unknown> } }).json_schema.schema;
    expect(schema).toMatchObject({ type: 'object', required: ['value'], properties: { value: { type: 'array' } } });
  });

  it('throws TruncatedOutputError when the JSON was cut at max tokens', async () => {
    server().mock.onMessage('big object', { content: '{"name":"Ada","ag', finishReason: 'length' });
    const error = await rejectionOf(openai().generateObject({ prompt: 'big object', schema: Person, maxTokens: 8 }));
    expect(error).toBeInstanceOf(TruncatedOutputError);
    expect((error as unknown as TruncatedOutputError).partial).toBe('{"name":"Ada","ag');
  });

  it('throws RefusalError when the model refuses', async () => {
    const raw = server().raw;
    raw.reply({
      body: {
        id: 'c',
        object: 'chat.completion',
        created: 0,
        model: 'gpt-5-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: 'No.' }, finish_reason: 'stop', logprobs: null }],
      },
    });
    const error = await rejectionOf(openai({ baseURL: raw.openaiBaseURL }).generateObject({ prompt: 'x', schema: Person }));
    expect(error).toBeInstanceOf(RefusalError);
  });
});

describe('openai provider: errors', () => {
  it('maps a 429 to ModelApiError with status, headers and retry-after in ms, without SDK retries', async () => {
    server().mock.onMessage('busy', { error: { message: 'Rate limit reached', type: 'rate_limit_error' }, status: 429, retryAfter: 7 });
    const error = await rejectionOf(openai().generate({ prompt: 'busy' }));

    expect(error).toBeInstanceOf(ModelApiError);
    const api = error as unknown as ModelApiError;
    expect(api).toMatchObject({ status: 429, retryAfterMs: 7000, provider: 'openai', code: 'MODEL_API_ERROR' });
    expect(api.message).toContain('Rate limit reached');
    expect(api.headers['retry-after']).toBe('7');
    expect(server().modelEntries()).toHaveLength(1);
  });

  it('prefers retry-after-ms over retry-after', async () => {
    const raw = server().raw;
    raw.reply({ status: 503, headers: { 'retry-after-ms': '250', 'retry-after': '9' }, body: { error: { message: 'overloaded' } } });
    const error = await rejectionOf(openai({ baseURL: raw.openaiBaseURL }).generate({ prompt: 'x' }));
    expect(error).toMatchObject({ status: 503, retryAfterMs: 250 });
    expect(raw.requests).toHaveLength(1);
  });

  it('maps a malformed JSON body to ModelResponseError', async () => {
    server().mock.onMessage('garbled', { content: 'x' }, { chaos: { malformedRate: 1 } });
    const error = await rejectionOf(openai().generate({ prompt: 'garbled' }));
    expect(error).toBeInstanceOf(ModelResponseError);
  });

  it('maps a refused connection to ModelConnectionError', async () => {
    const gone = await startAimock();
    const baseURL = gone.openaiBaseURL;
    await gone.stop();
    const error = await rejectionOf(openai({ baseURL }).generate({ prompt: 'anyone there?' }));
    expect(error).toBeInstanceOf(ModelConnectionError);
  });

  it('maps an aborted call to AbortedError', async () => {
    server().mock.onMessage('slow', { content: 'late' }, { latency: 5_000 });
    const controller = new AbortController();
    const pending = openai().generate({ prompt: 'slow', signal: controller.signal });
    controller.abort();
    expect(await rejectionOf(pending)).toBeInstanceOf(AbortedError);
  });
});
