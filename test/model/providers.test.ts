import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ModelApiError, ModelConnectionError, ModelResponseError } from '../../src/errors/model-errors.js';
import { StructuredOutputError, TruncatedOutputError } from '../../src/errors/output-errors.js';
import { AbortedError } from '../../src/errors/taskforce-error.js';
import { createEventBus } from '../../src/events/bus.js';
import type { TaskforceEvent } from '../../src/events/types.js';
import { manualClock } from '../../src/util/clock.js';
import { startAimock, useAimock } from '../support/aimock.js';
import { collectStream, drain, dropSwitch, Person, providerCase, providerCases, rejectionOf, streamUntilError, time, weather } from './helpers.js';

// Behaviour the providers share, run over each through its real SDK (LangChain: over ChatOpenAI).
// What only one provider does (its wire format, its own headers and fields) is tested in
// anthropic.test.ts, openai.test.ts and langchain.test.ts.
const server = useAimock();

describe.each([...providerCases(server), providerCase('langchain', server)])('$name provider', (provider) => {
  describe('text and tool calls', () => {
    it('reports a max-tokens cut as stopReason "max_tokens", streamed or not', async () => {
      server().mock.onMessage('long essay', { content: 'It was the best of', finishReason: 'length' }, { chunkSize: 6 });
      const model = provider.model();
      const result = await model.generate({ prompt: 'Write a long essay' });
      expect(result).toMatchObject({ text: 'It was the best of', stopReason: 'max_tokens' });
      expect((await collectStream(model, { prompt: 'Write a long essay' })).result).toEqual(result);
    });

    it('returns several tool calls of one reply, in order', async () => {
      server().mock.onMessage('Paris weather and time', {
        toolCalls: [
          { id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'call_t', name: 'get_time', arguments: '{"city":"Paris"}' },
        ],
      });
      const result = await provider.model().generate({ prompt: 'Paris weather and time?', tools: [weather, time], toolChoice: 'required' });

      expect(result.stopReason).toBe('tool_use');
      expect(result.toolCalls).toEqual([
        { id: 'call_w', name: 'get_weather', input: { city: 'Paris' } },
        { id: 'call_t', name: 'get_time', input: { city: 'Paris' } },
      ]);
    });
  });

  describe('streaming', () => {
    it('streams text deltas and finishes with the same result as generate, usage included', async () => {
      const usage = provider.usage(12, 9);
      server().mock.onMessage('tell a story', { content: 'Once upon a time, a model streamed.', usage }, { chunkSize: 5 });
      const model = provider.model();
      const request = { prompt: 'tell a story' };
      const plain = await model.generate(request);
      const { deltas, result } = await collectStream(model, request);

      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe('Once upon a time, a model streamed.');
      expect(result).toEqual(plain);
      expect(result.usage).toEqual({ inputTokens: 12, outputTokens: 9 });
      expect(server().modelRequests()[1]).toMatchObject(provider.streamRequest);
    });

    it('assembles streamed text and several tool calls into the same result as generate', async () => {
      server().mock.onMessage(
        'look both up',
        {
          content: 'Let me check.',
          toolCalls: [
            { id: 'call_a', name: 'get_weather', arguments: '{"city":"Oslo"}' },
            { id: 'call_b', name: 'get_time', arguments: '{"city":"Lima"}' },
          ],
        },
        { chunkSize: 3 },
      );
      const model = provider.model();
      const request = { prompt: 'look both up', tools: [weather, time] };
      const plain = await model.generate(request);
      const { result } = await collectStream(model, request);

      expect(result).toEqual(plain);
      expect(result.text).toBe('Let me check.');
      expect(result.toolCalls).toEqual([
        { id: 'call_a', name: 'get_weather', input: { city: 'Oslo' } },
        { id: 'call_b', name: 'get_time', input: { city: 'Lima' } },
      ]);
    });

    it('turns a connection dropped mid-reply into ModelConnectionError, keeping the text that arrived', async () => {
      const raw = server().raw;
      const cut = dropSwitch();
      raw.reply({ contentType: 'text/event-stream', body: provider.unfinishedStream(['this reply ', 'will never ']), dropWhen: cut.when });

      // The connection is dropped only once the first delta has reached us, so it cannot race the delivery.
      const { deltas, error } = await streamUntilError(provider.model({ baseURL: provider.rawBaseURL(raw) }), { prompt: 'cut me' }, cut.drop);

      expect(deltas[0]).toBe('this reply ');
      expect('this reply will never '.startsWith(deltas.join(''))).toBe(true);
      expect(error).toBeInstanceOf(ModelConnectionError);
    });
  });

  describe('structured output', () => {
    it('re-asks with the validation issues and returns the repaired object', async () => {
      server().mock.onMessage('Grace Hopper', provider.structuredReply('{"name":"Grace","age":"eighty-five"}'));
      server().mock.onMessage('did not match the required JSON schema', provider.structuredReply('{"name":"Grace","age":85}'));
      const events: TaskforceEvent[] = [];
      const bus = createEventBus({ clock: manualClock() });
      bus.on((event) => events.push(event));
      const result = await provider.model({ events: bus }).generateObject({ prompt: 'Extract: Grace Hopper, 85', schema: Person });

      expect(result).toMatchObject({ object: { name: 'Grace', age: 85 }, repairs: 1 });
      // The second request shows the model its invalid reply, then the issues (aimock's journal
      // records both providers' messages in the Chat Completions shape).
      const second = server().modelRequests()[1]!.messages as { role: string; content: string }[];
      expect(second.at(-2)).toEqual({ role: 'assistant', content: '{"name":"Grace","age":"eighty-five"}' });
      expect(second.at(-1)!.content).toContain('age:');
      expect(events.filter((e) => e.type === 'model.repair')).toHaveLength(1);
    });

    it('re-asks when the reply is not JSON at all', async () => {
      server().mock.onMessage('Alan Turing', { content: 'Sure! The person is Alan Turing, aged 41.' });
      server().mock.onMessage('did not match the required JSON schema', provider.structuredReply('{"name":"Alan","age":41}'));
      const result = await provider.model().generateObject({ prompt: 'Extract: Alan Turing, 41', schema: Person });

      expect(result).toMatchObject({ object: { name: 'Alan', age: 41 }, repairs: 1 });
      const reask = (server().modelRequests()[1]!.messages as { content: string }[]).at(-1)!.content;
      expect(reask).toContain('output is not valid JSON');
    });

    it.each([
      { maxRepairs: undefined, attempts: 3 },
      { maxRepairs: 1, attempts: 2 },
    ])('fails with StructuredOutputError carrying the raw output and issues after $attempts invalid replies', async ({ maxRepairs, attempts }) => {
      server().mock.onMessage(/./, provider.structuredReply('{"name":42}'));
      const request = { prompt: 'Extract: nobody', schema: Person, ...(maxRepairs !== undefined ? { maxRepairs } : {}) };
      const error = await rejectionOf(provider.model().generateObject(request));

      expect(error).toBeInstanceOf(StructuredOutputError);
      const structured = error as unknown as StructuredOutputError;
      expect(structured.raw).toBe('{"name":42}');
      expect(structured.attempts).toBe(attempts);
      expect(structured.issues.some((issue) => issue.startsWith('name:'))).toBe(true);
      expect(structured.issues.some((issue) => issue.startsWith('age:'))).toBe(true);
      expect(server().modelEntries()).toHaveLength(attempts);
    });

    it('wraps a non-object schema for the provider and unwraps the reply', async () => {
      server().mock.onMessage('list primes', provider.structuredReply('{"value":[2,3,5]}'));
      expect((await provider.model().generateObject({ prompt: 'list primes', schema: z.array(z.number()) })).object).toEqual([2, 3, 5]);
    });

    it('throws TruncatedOutputError with the partial output when the reply was cut at max tokens', async () => {
      server().mock.onMessage('big object', { ...provider.structuredReply('{"name":"Ada"}'), finishReason: 'length' });
      const error = await rejectionOf(provider.model().generateObject({ prompt: 'big object', schema: Person, maxTokens: 5 }));

      expect(error).toBeInstanceOf(TruncatedOutputError);
      expect(error).toMatchObject({ maxTokens: 5, partial: '{"name":"Ada"}' });
    });
  });

  describe('errors', () => {
    it('maps a 429 to ModelApiError with status, headers and retry-after in ms, without SDK retries', async () => {
      server().mock.onMessage('busy', { error: { message: 'Rate limit reached', type: 'rate_limit_error' }, status: 429, retryAfter: 7 });
      const error = await rejectionOf(provider.model().generate({ prompt: 'busy' }));

      expect(error).toBeInstanceOf(ModelApiError);
      expect(error).toMatchObject({ status: 429, retryAfterMs: 7000, provider: provider.name, code: 'MODEL_API_ERROR' });
      expect(error.message).toContain('Rate limit reached');
      expect((error as unknown as ModelApiError).headers['retry-after']).toBe('7');
      expect(server().modelEntries()).toHaveLength(1);
    });

    it('maps a malformed JSON body to ModelResponseError', async () => {
      server().mock.onMessage('garbled', { content: 'x' }, { chaos: { malformedRate: 1 } });
      expect(await rejectionOf(provider.model().generate({ prompt: 'garbled' }))).toBeInstanceOf(ModelResponseError);
    });

    it('maps a refused connection to ModelConnectionError', async () => {
      const gone = await startAimock();
      const baseURL = provider.name === 'anthropic' ? gone.anthropicBaseURL : gone.openaiBaseURL;
      await gone.stop();
      expect(await rejectionOf(provider.model({ baseURL }).generate({ prompt: 'anyone there?' }))).toBeInstanceOf(ModelConnectionError);
    });

    it('maps an aborted call to AbortedError', async () => {
      const raw = server().raw;
      // A reply that never comes: only the abort can end the call.
      raw.reply({ contentType: 'text/event-stream', body: '', dropWhen: new Promise(() => undefined) });
      const controller = new AbortController();
      const pending = provider.model({ baseURL: provider.rawBaseURL(raw) }).generate({ prompt: 'slow', signal: controller.signal });
      controller.abort();
      expect(await rejectionOf(pending)).toBeInstanceOf(AbortedError);
    });
  });
});

// The LangChain adapter cannot tell a stream cut at a clean close from a finished one: a LangChain
// chat model need not report a finish reason at all.
describe.each(providerCases(server))('$name provider: a stream that ends early', (provider) => {
  it('treats a stream that closes cleanly before it finished as cut', async () => {
    const raw = server().raw;
    raw.reply({ contentType: 'text/event-stream', body: provider.unfinishedStream(['half a rep']) });
    const error = await rejectionOf(drain(provider.model({ baseURL: provider.rawBaseURL(raw) }).stream({ prompt: 'x' })));
    expect(error).toBeInstanceOf(ModelConnectionError);
  });
});

// Anthropic sends whole tool inputs as JSON objects, except when streaming (see anthropic.test.ts).
describe.each([providerCase('openai', server), providerCase('langchain', server)])('$name provider: tool arguments', (provider) => {
  it('keeps tool arguments that are not JSON as the raw string instead of failing', async () => {
    server().mock.onMessage('broken args', { toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city": Paris' }] });
    const result = await provider.model().generate({ prompt: 'broken args', tools: [weather] });
    expect(result.toolCalls).toEqual([{ id: 'c1', name: 'get_weather', input: '{"city": Paris' }]);
  });
});
