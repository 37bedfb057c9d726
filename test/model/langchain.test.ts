import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/taskforce-error.js';
import { createModel } from '../../src/model/create-model.js';
import type { Model } from '../../src/model/types.js';
import { useAimock } from '../support/aimock.js';
import { Person, providerCase, rejectionOf, time, weather } from './helpers.js';
import { openaiCompletion } from './wire.js';

// What only the LangChain adapter does: model ids, pricing and messages through LangChain, and models
// without tool support. Behaviour it shares with the other providers is in providers.test.ts.
const server = useAimock();
const overChatOpenAI = providerCase('langchain', server).model;

/** A LangChain chat model that is not ChatOpenAI, wrapped like any other. */
function wrapped(chat: BaseChatModel): Model {
  return createModel({ provider: 'langchain', model: chat }, { resilience: { retry: { maxRetries: 0 } }, env: {} });
}

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
    const model = overChatOpenAI();
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
      body: openaiCompletion(
        { content: 'ok' },
        { model: 'gpt-4o-mini', usage: { prompt_tokens: 1000, completion_tokens: 5, total_tokens: 1005, prompt_tokens_details: { cached_tokens: 600 } } },
      ),
    });
    const result = await overChatOpenAI({ baseURL: raw.openaiBaseURL }).generate({ prompt: 'hi' });
    expect(result.usage).toEqual({ inputTokens: 400, outputTokens: 5, cacheReadTokens: 600 });
  });

  it('binds tools and passes tool_choice', async () => {
    server().mock.onMessage('Paris weather and time', { content: 'Checking.' });
    await overChatOpenAI().generate({ prompt: 'Paris weather and time?', tools: [weather, time], toolChoice: 'required' });
    const body = server().modelRequests()[0]!;
    expect(body.tool_choice).toBe('required');
    expect((body.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(['get_weather', 'get_time']);
  });

  it('converts assistant tool calls and tool results into LangChain messages', async () => {
    server().mock.onToolResult('call_w', { content: 'Sunny.' });
    const result = await overChatOpenAI().generate({
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

  it('gets structured output through a tool forced by the schema name', async () => {
    server().mock.onMessage('Grace Hopper', { toolCalls: [{ name: 'person', arguments: '{"name":"Grace","age":85}' }] });
    const result = await overChatOpenAI().generateObject({ prompt: 'Extract: Grace Hopper, 85', schema: Person, schemaName: 'person' });

    expect(result).toMatchObject({ object: { name: 'Grace', age: 85 }, repairs: 0 });
    const first = server().modelRequests()[0]!;
    expect(first.tool_choice).toEqual({ type: 'function', function: { name: 'person' } });
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
