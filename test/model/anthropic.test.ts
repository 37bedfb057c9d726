import { describe, expect, it } from 'vitest';
import { RefusalError } from '../../src/errors/output-errors.js';
import { manualClock } from '../../src/util/clock.js';
import { useAimock } from '../support/aimock.js';
import { collectStream, Person, providerCase, rejectionOf, time, weather } from './helpers.js';
import { anthropicMessage as message, anthropicSSE as sse } from './wire.js';

// What only the Anthropic provider does: the Messages API wire format, cache tokens, rate-limit reset
// headers. Behaviour both providers share is in providers.test.ts.
const server = useAimock();
const anthropic = providerCase('anthropic', server).model;

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

  it('reports the refusal stop reason', async () => {
    server().mock.onMessage('forbidden', { content: '', finishReason: 'refusal' });
    expect((await anthropic().generate({ prompt: 'forbidden' })).stopReason).toBe('refusal');
  });
});

describe('anthropic provider: tool calls', () => {
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

  it('throws RefusalError on the refusal stop reason', async () => {
    server().mock.onMessage('forbidden', { content: '', finishReason: 'refusal' });
    expect(await rejectionOf(anthropic().generateObject({ prompt: 'forbidden', schema: Person }))).toBeInstanceOf(RefusalError);
  });
});

describe('anthropic provider: errors', () => {
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
});
