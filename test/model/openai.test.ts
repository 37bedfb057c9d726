import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RefusalError } from '../../src/errors/output-errors.js';
import { useAimock } from '../support/aimock.js';
import { collectStream, Person, providerCase, rejectionOf, time, weather } from './helpers.js';
import { openaiChunk, openaiCompletion, openaiSSE } from './wire.js';

// What only the OpenAI provider does: the Chat Completions wire format, cached tokens, refusals,
// retry-after-ms. Behaviour both providers share is in providers.test.ts.
const server = useAimock();
const openai = providerCase('openai', server).model;

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
      body: openaiCompletion(
        { content: 'ok', refusal: null },
        {
          model: 'gpt-5-mini-2025-08-07',
          usage: { prompt_tokens: 1000, completion_tokens: 10, total_tokens: 1010, prompt_tokens_details: { cached_tokens: 800 } },
        },
      ),
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

  it('reports message.refusal as a refusal', async () => {
    const raw = server().raw;
    raw.reply({
      body: openaiCompletion(
        { content: null, refusal: 'I cannot help with that.' },
        { usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 } },
      ),
    });
    const result = await openai({ baseURL: raw.openaiBaseURL }).generate({ prompt: 'something bad' });
    expect(result).toMatchObject({ text: '', stopReason: 'refusal', refusal: 'I cannot help with that.' });
  });

  it('reports a streamed refusal as a refusal', async () => {
    const raw = server().raw;
    raw.reply({
      contentType: 'text/event-stream',
      body: openaiSSE([openaiChunk({ role: 'assistant', refusal: 'I cannot ' }), openaiChunk({ refusal: 'help with that.' }), openaiChunk({}, 'stop')]) + 'data: [DONE]\n\n',
    });
    const { deltas, result } = await collectStream(openai({ baseURL: raw.openaiBaseURL }), { prompt: 'something bad' });
    expect(deltas).toEqual([]);
    expect(result).toMatchObject({ text: '', stopReason: 'refusal', refusal: 'I cannot help with that.' });
  });
});

describe('openai provider: tool calls', () => {
  it('sends tools and tool_choice as Chat Completions expects', async () => {
    server().mock.onMessage('Paris weather and time', { content: 'Checking.' });
    await openai().generate({ prompt: 'Paris weather and time?', tools: [weather, time], toolChoice: 'required' });
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

describe('openai provider: structured output', () => {
  it('asks for json_schema (not strict, so optional fields are allowed) and returns the typed object', async () => {
    server().mock.onMessage('Ada Lovelace', { content: '{"name":"Ada","age":36}' });
    const result = await openai().generateObject({ prompt: 'Extract: Ada Lovelace, 36', schema: Person, schemaName: 'person' });

    expect(result).toMatchObject({ object: { name: 'Ada', age: 36 }, repairs: 0, raw: '{"name":"Ada","age":36}' });
    const format = server().modelRequests()[0]!.response_format as Record<string, unknown>;
    expect(format).toMatchObject({ type: 'json_schema', json_schema: { name: 'person', strict: false } });
    expect((format.json_schema as { schema: { required: string[] } }).schema.required).toEqual(['name', 'age']);
  });

  it('sends a non-object schema wrapped in an object under json_schema', async () => {
    server().mock.onMessage('list primes', { content: '{"value":[2,3,5]}' });
    await openai().generateObject({ prompt: 'list primes', schema: z.array(z.number()) });
    const schema = (server().modelRequests()[0]!.response_format as { json_schema: { schema: Record<string, unknown> } }).json_schema.schema;
    expect(schema).toMatchObject({ type: 'object', required: ['value'], properties: { value: { type: 'array' } } });
  });

  it('throws RefusalError when the model refuses', async () => {
    const raw = server().raw;
    raw.reply({ body: openaiCompletion({ content: null, refusal: 'No.' }) });
    const error = await rejectionOf(openai({ baseURL: raw.openaiBaseURL }).generateObject({ prompt: 'x', schema: Person }));
    expect(error).toBeInstanceOf(RefusalError);
  });
});

describe('openai provider: errors', () => {
  it('prefers retry-after-ms over retry-after', async () => {
    const raw = server().raw;
    raw.reply({ status: 503, headers: { 'retry-after-ms': '250', 'retry-after': '9' }, body: { error: { message: 'overloaded' } } });
    const error = await rejectionOf(openai({ baseURL: raw.openaiBaseURL }).generate({ prompt: 'x' }));
    expect(error).toMatchObject({ status: 503, retryAfterMs: 250 });
    expect(raw.requests).toHaveLength(1);
  });
});
