import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RefusalError, StructuredOutputError, TruncatedOutputError } from '../errors/output-errors.js';
import { createEventBus } from '../events/bus.js';
import type { TaskforceEvent } from '../events/types.js';
import { manualClock } from '../util/clock.js';
import { modelFromProvider } from './model.js';
import { scriptedModel } from './scripted.js';
import { extractJson, jsonSchemaOf } from './structured.js';

const Person = z.object({ name: z.string(), age: z.number().int() });

describe('extractJson', () => {
  it('reads bare JSON, fenced JSON and JSON inside prose', () => {
    expect(extractJson('{"a":1}')).toEqual({ a: 1 });
    expect(extractJson('Here:\n```json\n{"a":2}\n```')).toEqual({ a: 2 });
    expect(extractJson('The answer is {"a":3}. Done.')).toEqual({ a: 3 });
    expect(() => extractJson('no json here')).toThrow(SyntaxError);
  });
});

describe('generateObject', () => {
  it('sends the JSON schema as the response format and returns the typed object', async () => {
    const provider = scriptedModel({ replies: ['{"name":"Ada","age":36}'] });
    const result = await modelFromProvider(provider).generateObject({ prompt: 'who?', schema: Person });
    expect(result).toMatchObject({ object: { name: 'Ada', age: 36 }, repairs: 0 });
    expect(provider.requests[0]?.responseFormat).toEqual({ type: 'json', name: 'result', schema: jsonSchemaOf(Person) });
  });

  it('re-asks with the validation issues, then succeeds, summing usage', async () => {
    const events = createEventBus({ clock: manualClock() });
    const seen: TaskforceEvent[] = [];
    events.on((e) => seen.push(e));
    const provider = scriptedModel({ replies: ['{"name":"Ada","age":"old"}', '{"name":"Ada","age":36}'] });
    const result = await modelFromProvider(provider, { events }).generateObject({ prompt: 'who?', schema: Person });
    expect(result.repairs).toBe(1);
    const reask = provider.requests[1]?.messages.at(-1);
    expect(reask?.content).toContain('age: Invalid input: expected number, received string');
    expect(provider.requests[1]?.messages.at(-2)).toEqual({ role: 'assistant', content: '{"name":"Ada","age":"old"}' });
    expect(seen.some((e) => e.type === 'model.repair')).toBe(true);
    expect(result.usage.inputTokens).toBeGreaterThan(provider.requests.length);
  });

  it('gives up after the bounded repairs with the raw output and issues', async () => {
    const provider = scriptedModel({ replies: ['nope', '{"name":1}', '{"name":2}'] });
    const error = await modelFromProvider(provider)
      .generateObject({ prompt: 'who?', schema: Person, schemaName: 'person' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect(error).toMatchObject({ raw: '{"name":2}', attempts: 3, code: 'STRUCTURED_OUTPUT_INVALID' });
    expect((error as StructuredOutputError).issues.join()).toMatch(/name/);
    expect(provider.calls).toBe(3);
  });

  it('reports truncated output and refusals instead of parsing them', async () => {
    const cut = scriptedModel({ replies: [{ text: '{"name":"Ad', stopReason: 'max_tokens' }] });
    await expect(modelFromProvider(cut).generateObject({ prompt: 'x', schema: Person, maxTokens: 5 })).rejects.toBeInstanceOf(TruncatedOutputError);
    const refused = scriptedModel({ replies: [{ refusal: 'I cannot help with that' }] });
    await expect(modelFromProvider(refused).generateObject({ prompt: 'x', schema: Person })).rejects.toBeInstanceOf(RefusalError);
  });
});
