import { createOpenAI } from '@ai-sdk/openai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTaskforce } from '../../src/api/index.js';
import { ModelApiError } from '../../src/errors/model-errors.js';
import { ConfigError } from '../../src/errors/taskforce-error.js';
import { createModel } from '../../src/model/create-model.js';
import { aiSdkProvider, isAiSdkModel } from '../../src/model/providers/ai-sdk.js';
import { defineTool } from '../../src/tools/define-tool.js';
import { useAimock } from '../support/aimock.js';

// A Vercel AI SDK model (@ai-sdk/openai, LanguageModelV3) used as a Taskforce model, against aimock.
const server = useAimock();
const aiModel = () => createOpenAI({ baseURL: server().openaiBaseURL, apiKey: 'test' }).chat('gpt-4o-mini');

describe('AI SDK language models as Taskforce models', () => {
  it('recognises an AI SDK model and wraps it with its provider and model id', () => {
    const model = aiModel();
    expect(isAiSdkModel(model)).toBe(true);
    expect(isAiSdkModel({ provider: 'x', doGenerate() {} })).toBe(false);
    expect(aiSdkProvider(model)).toMatchObject({ provider: 'openai.chat', modelId: 'gpt-4o-mini', structuredMode: 'json_schema' });
  });

  it('generates text through createModel(model), with usage and the system prompt sent first', async () => {
    server().mock.onMessage('capital of France', { content: 'Paris.', usage: { prompt_tokens: 12, completion_tokens: 3 } });
    const result = await createModel(aiModel()).generate({ system: 'Be brief.', prompt: 'What is the capital of France?' });

    expect(result).toMatchObject({ text: 'Paris.', toolCalls: [], stopReason: 'end_turn' });
    expect(result.usage).toEqual({ inputTokens: 12, outputTokens: 3 });
    expect(server().modelRequests()[0]).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    });
  });

  it('accepts the model as { provider: model } too (once a "prompt is not iterable" crash)', async () => {
    server().mock.onMessage('hello', { content: 'hi' });
    const result = await createModel({ provider: aiModel() }).generate({ prompt: 'hello' });
    expect(result.text).toBe('hi');
  });

  it('runs a tool call round trip through the agent loop of createTaskforce({ model })', async () => {
    server().mock.onToolResult('call_add', { content: 'The sum is 5.' });
    server().mock.onMessage('Add 2 and 3', { toolCalls: [{ id: 'call_add', name: 'add', arguments: '{"a":2,"b":3}' }] });
    const seen: unknown[] = [];
    const add = defineTool({
      name: 'add',
      description: 'Adds two numbers.',
      input: z.object({ a: z.number(), b: z.number() }),
      execute: (input) => {
        seen.push(input);
        return input.a + input.b;
      },
    });
    const tf = await createTaskforce({ model: aiModel(), tools: [add], seed: 1 });
    try {
      const result = await tf.task('add', 'Add 2 and 3 with the add tool.', 'researcher');
      expect(seen).toEqual([{ a: 2, b: 3 }]);
      expect(result.steps[0]!.toolCalls[0]).toMatchObject({ name: 'add', output: '5', isError: false });
      expect(result.output).toBe('The sum is 5.');
      const [first, second] = server().modelRequests();
      expect(first!.tools).toEqual([
        expect.objectContaining({ type: 'function', function: expect.objectContaining({ name: 'add', parameters: expect.objectContaining({ type: 'object' }) }) }),
      ]);
      expect((second!.messages as { role: string }[]).slice(-2)).toEqual([
        expect.objectContaining({ role: 'assistant', tool_calls: [expect.objectContaining({ id: 'call_add' })] }),
        { role: 'tool', tool_call_id: 'call_add', content: '5' },
      ]);
    } finally {
      await tf.close();
    }
  });

  it('gives structured output with generateObject: json_schema response format, validated by zod', async () => {
    server().mock.onMessage('Grace Hopper', { content: '{"name":"Grace","age":85}' });
    const { object } = await createModel(aiModel()).generateObject({
      prompt: 'Who was Grace Hopper?',
      schema: z.object({ name: z.string(), age: z.number() }),
      schemaName: 'person',
    });
    expect(object).toEqual({ name: 'Grace', age: 85 });
    expect(server().modelRequests()[0]!.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'person', schema: expect.objectContaining({ type: 'object' }) },
    });
  });

  it('streams text deltas, then finishes with the whole text and usage', async () => {
    server().mock.onMessage('tell a story', { content: 'Once upon a time, a model streamed.', usage: { prompt_tokens: 7, completion_tokens: 9 } }, { chunkSize: 5 });
    const parts = [];
    for await (const part of createModel(aiModel()).stream({ prompt: 'tell a story' })) parts.push(part);
    const deltas = parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : []));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Once upon a time, a model streamed.');
    const finish = parts.at(-1);
    expect(finish).toMatchObject({ type: 'finish', result: { text: 'Once upon a time, a model streamed.', stopReason: 'end_turn' } });
  });

  it('maps an HTTP error status to ModelApiError', async () => {
    server().mock.onMessage('busy', { error: { message: 'Rate limit reached', type: 'rate_limit_error' }, status: 429 });
    const error = await createModel(aiModel(), { resilience: { retry: { maxRetries: 0 } } })
      .generate({ prompt: 'busy' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelApiError);
    expect(error).toMatchObject({ status: 429 });
  });

  it('rejects an object that is no model with a ConfigError naming what is supported', () => {
    expect(() => createModel({ provider: { name: 'mystery' } } as never)).toThrow(ConfigError);
    expect(() => createModel({ provider: { name: 'mystery' } } as never)).toThrow(/Vercel AI SDK language model/);
    expect(() => createModel(42 as never)).toThrow(/Supported models/);
  });
});
