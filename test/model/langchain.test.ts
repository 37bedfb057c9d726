import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { ChatOpenAI } from '@langchain/openai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ModelApiError } from '../../src/errors/model-errors.js';
import { StructuredOutputError } from '../../src/errors/output-errors.js';
import { ConfigError } from '../../src/errors/taskforce-error.js';
import { createModel } from '../../src/model/create-model.js';
import type { Model, ToolSpec } from '../../src/model/types.js';
import { useAimock } from '../support/aimock.js';
import { collectStream, rejectionOf } from './helpers.js';

const server = useAimock();

function chatOpenAI(baseURL = server().openaiBaseURL): ChatOpenAI {
  return new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'test-key', maxRetries: 0, configuration: { baseURL } });
}

function wrapped(chat: BaseChatModel = chatOpenAI()): Model {
  return createModel({ provider: 'langchain', model: chat }, { resilience: { retry: { maxRetries: 0 } }, env: {} });
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
const Person = z.object({ name: z.string(), age: z.number().int() });

/** A LangChain chat model without tool support, answering from a list (the documented way to write one). */
class ListChatModel extends BaseChatModel {
  readonly seen: BaseMessage[][] = [];
  constructor(private readonly replies: string[]) {
    super({});
  }
  _llmType(): string {
    return 'list-chat';
  }
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.seen.push(messages);
    const text = this.replies.shift() ?? '';
    return { generations: [{ text, message: new AIMessage({ content: text, usage_metadata: { input_tokens: 7, output_tokens: 3, total_tokens: 10 } }) }] };
  }
}

describe('langchain provider over ChatOpenAI', () => {
  it('returns text, usage, stop reason and cost, under the model id LangChain reports', async () => {
    server().mock.onMessage('capital of Spain', { content: 'Madrid.', usage: { prompt_tokens: 400, completion_tokens: 40 } });
    const model = wrapped();
    const result = await model.generate({ system: 'Be brief.', prompt: 'What is the capital of Spain?' });

    expect(model.provider).toBe('langchain');
    expect(result).toMatchObject({ text: 'Madrid.', toolCalls: [], stopReason: 'end_turn', modelId: 'gpt-4o-mini' });
    expect(result.usage).toEqual({ inputTokens: 400, outputTokens: 40 });
    // gpt-4o-mini: $0.15 / 1M input, $0.6 / 1M output
    expect(result.costUsd).toBeCloseTo(400 * 0.15e-6 + 40 * 0.6e-6, 12);
    expect(server().modelRequests()[0]!.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is the capital of Spain?' },
    ]);
  });

  it('takes cached tokens out of inputTokens', async () => {
    const raw = server().raw;
    raw.reply({
      body: {
        id: 'c',
        object: 'chat.completion',
        created: 0,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 1000, completion_tokens: 5, total_tokens: 1005, prompt_tokens_details: { cached_tokens: 600 } },
      },
    });
    const result = await wrapped(chatOpenAI(raw.openaiBaseURL)).generate({ prompt: 'hi' });
    expect(result.usage).toEqual({ inputTokens: 400, outputTokens: 5, cacheReadTokens: 600 });
  });

  it('binds tools, passes tool_choice, and returns several tool calls', async () => {
    server().mock.onMessage('Paris weather and time', {
      toolCalls: [
        { id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'call_t', name: 'get_time', arguments: '{"city":"Paris"}' },
      ],
    });
    const result = await wrapped().generate({ prompt: 'Paris weather and time?', tools: [weather, time], toolChoice: 'required' });

    expect(result.stopReason).toBe('tool_use');
    expect(result.toolCalls).toEqual([
      { id: 'call_w', name: 'get_weather', input: { city: 'Paris' } },
      { id: 'call_t', name: 'get_time', input: { city: 'Paris' } },
    ]);
    const body = server().modelRequests()[0]!;
    expect(body.tool_choice).toBe('required');
    expect((body.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(['get_weather', 'get_time']);
  });

  it('keeps tool arguments that are not JSON as the raw string', async () => {
    server().mock.onMessage('broken args', { toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city": Paris' }] });
    const result = await wrapped().generate({ prompt: 'broken args', tools: [weather] });
    expect(result.toolCalls).toEqual([{ id: 'c1', name: 'get_weather', input: '{"city": Paris' }]);
  });

  it('converts assistant tool calls and tool results into LangChain messages', async () => {
    server().mock.onToolResult('call_w', { content: 'Sunny.' });
    const result = await wrapped().generate({
      tools: [weather],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_w', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'tool', toolCallId: 'call_w', toolName: 'get_weather', content: 'sunny' },
      ],
    });
    expect(result.text).toBe('Sunny.');
    const messages = server().modelRequests()[0]!.messages as Record<string, unknown>[];
    expect(messages[1]).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
    });
    expect(messages[2]).toMatchObject({ role: 'tool', tool_call_id: 'call_w', content: 'sunny' });
  });

  it('streams text deltas and finishes with the same result as generate, usage included', async () => {
    server().mock.onMessage('a story', { content: 'Once upon a time there was a graph.', usage: { prompt_tokens: 8, completion_tokens: 9 } }, { chunkSize: 5 });
    const model = wrapped();
    const plain = await model.generate({ prompt: 'a story' });
    const { deltas, result } = await collectStream(model, { prompt: 'a story' });

    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Once upon a time there was a graph.');
    expect(result).toEqual(plain);
    expect(result.usage).toEqual({ inputTokens: 8, outputTokens: 9 });
  });

  it('streams several tool calls into the same calls generate returns', async () => {
    server().mock.onMessage('both tools', {
      toolCalls: [
        { id: 'call_a', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { id: 'call_b', name: 'get_time', arguments: '{"city":"Lima"}' },
      ],
    }, { chunkSize: 4 });
    const model = wrapped();
    const request = { prompt: 'both tools', tools: [weather, time] };
    const plain = await model.generate(request);
    const { result } = await collectStream(model, request);
    expect(result.toolCalls).toEqual(plain.toolCalls);
    expect(result.toolCalls).toHaveLength(2);
    expect(result.stopReason).toBe('tool_use');
  });

  it('reports a max-tokens cut as stopReason "max_tokens"', async () => {
    server().mock.onMessage('long essay', { content: 'It was', finishReason: 'length' });
    expect((await wrapped().generate({ prompt: 'long essay' })).stopReason).toBe('max_tokens');
  });

  it('gets structured output through a forced tool, and repairs an invalid reply', async () => {
    server().mock.onMessage('Grace Hopper', { toolCalls: [{ name: 'person', arguments: '{"name":"Grace"}' }] });
    server().mock.onMessage('did not match the required JSON schema', { toolCalls: [{ name: 'person', arguments: '{"name":"Grace","age":85}' }] });
    const result = await wrapped().generateObject({ prompt: 'Extract: Grace Hopper, 85', schema: Person, schemaName: 'person' });

    expect(result).toMatchObject({ object: { name: 'Grace', age: 85 }, repairs: 1 });
    const first = server().modelRequests()[0]!;
    expect(first.tool_choice).toEqual({ type: 'function', function: { name: 'person' } });
  });

  it('fails with StructuredOutputError when every structured reply is invalid', async () => {
    server().mock.onMessage(/./, { toolCalls: [{ name: 'result', arguments: '{"age":"old"}' }] });
    const error = await rejectionOf(wrapped().generateObject({ prompt: 'nobody', schema: Person, maxRepairs: 1 }));
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect((error as unknown as StructuredOutputError).raw).toBe('{"age":"old"}');
  });

  it('maps an HTTP error to ModelApiError with status and retry-after', async () => {
    server().mock.onMessage('busy', { error: { message: 'Rate limit reached', type: 'rate_limit_error' }, status: 429, retryAfter: 2 });
    const error = await rejectionOf(wrapped().generate({ prompt: 'busy' }));
    expect(error).toBeInstanceOf(ModelApiError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 2000, provider: 'langchain' });
    expect(server().modelEntries()).toHaveLength(1);
  });
});

describe('langchain provider over a model without tool support', () => {
  it('asks for JSON in the system prompt and parses the reply', async () => {
    const chat = new ListChatModel(['{"name":"Ada","age":36}']);
    const result = await wrapped(chat).generateObject({ system: 'You extract people.', prompt: 'Ada Lovelace, 36', schema: Person });

    expect(result.object).toEqual({ name: 'Ada', age: 36 });
    expect(result.usage).toEqual({ inputTokens: 7, outputTokens: 3 });
    const system = chat.seen[0]![0]!;
    expect(system.getType()).toBe('system');
    expect(String(system.content)).toContain('You extract people.');
    expect(String(system.content)).toContain('"required":["name","age"]');
  });

  it('refuses tools with a ConfigError naming the model and the tools', async () => {
    const error = await rejectionOf(wrapped(new ListChatModel([])).generate({ prompt: 'x', tools: [weather] }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('list-chat');
    expect(error.message).toContain('get_weather');
  });
});
