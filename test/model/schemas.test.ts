import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod3';
import { createTaskforce } from '../../src/api/create-taskforce.js';
import { ConfigError } from '../../src/errors/taskforce-error.js';
import { defineTool } from '../../src/tools/define-tool.js';
import { modelFromProvider } from '../../src/model/model.js';
import { toSchemaAdapter, type StandardSchemaLike } from '../../src/model/schema-adapter.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { synthesize } from '../../src/synthesis/synthesize.js';

/** A hand-written Standard Schema validator: `{ city: string }`, with a JSON Schema of its own. */
function cityValidator(jsonSchema: unknown = { output: () => ({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }) }): StandardSchemaLike<{ city: string }> {
  return {
    '~standard': {
      version: 1,
      vendor: 'handmade',
      validate: (value: unknown) =>
        typeof value === 'object' && value !== null && typeof (value as { city?: unknown }).city === 'string'
          ? { value: value as { city: string } }
          : { issues: [{ message: 'city must be a string', path: ['city'] }] },
      ...(jsonSchema === null ? {} : { jsonSchema }),
    },
  };
}

describe('toSchemaAdapter', () => {
  it('converts a zod 3 schema of the common types to JSON Schema', () => {
    const schema = z3.object({
      name: z3.string().min(1).describe('full name'),
      age: z3.number().int().optional(),
      admin: z3.boolean(),
      tags: z3.array(z3.string()),
      role: z3.enum(['a', 'b']),
      kind: z3.literal('person'),
      note: z3.string().nullable(),
      id: z3.union([z3.string(), z3.number()]),
      extra: z3.record(z3.number()),
    });
    expect(toSchemaAdapter(schema).jsonSchema).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, description: 'full name' },
        age: { type: 'integer' },
        admin: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' } },
        role: { type: 'string', enum: ['a', 'b'] },
        kind: { type: 'string', const: 'person' },
        note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        id: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        extra: { type: 'object', additionalProperties: { type: 'number' } },
      },
      required: ['name', 'admin', 'tags', 'role', 'kind', 'note', 'id', 'extra'],
    });
  });

  it('names an unsupported zod 3 type and where it is', () => {
    expect(() => toSchemaAdapter(z3.object({ when: z3.date() }), 'tool "t" input')).toThrow(/tool "t" input: the zod 3 type ZodDate at "when"/);
  });

  it('validates with zod 3 and reports issues as path: message', () => {
    const adapter = toSchemaAdapter(z3.object({ a: z3.number() }));
    expect(adapter.parse({ a: 1 })).toEqual({ ok: true, value: { a: 1 } });
    expect(adapter.parse({ a: 'x' })).toEqual({ ok: false, issues: ['a: Expected number, received string'] });
  });

  it('keeps zod 4 as it was', () => {
    expect(toSchemaAdapter(z.object({ a: z.string() })).jsonSchema).toMatchObject({ type: 'object', required: ['a'] });
  });

  it('uses a Standard Schema validator: its validate and its ~standard.jsonSchema', () => {
    const adapter = toSchemaAdapter(cityValidator());
    expect(adapter.kind).toBe('standard');
    expect(adapter.jsonSchema).toEqual({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] });
    expect(adapter.parse({ city: 'Oslo' })).toEqual({ ok: true, value: { city: 'Oslo' } });
    expect(adapter.parse({})).toEqual({ ok: false, issues: ['city: city must be a string'] });
  });

  it('refuses a Standard Schema validator that gives no JSON Schema, saying so', () => {
    expect(() => toSchemaAdapter(cityValidator(null))).toThrow(/handmade validator gives no JSON Schema/);
  });

  it('refuses anything else with a ConfigError that says what is supported', () => {
    for (const junk of [{ type: 'object' }, 'string', null, 42]) {
      expect(() => toSchemaAdapter(junk, 'generateObject schema')).toThrow(ConfigError);
      expect(() => toSchemaAdapter(junk, 'generateObject schema')).toThrow(/Supported schemas: zod 4 .* zod 3 .* Standard Schema/);
    }
  });
});

describe('other libraries\u2019 schemas where Taskforce takes a schema', () => {
  it('generateObject validates a zod 3 schema, re-asking on an invalid reply', async () => {
    const provider = scriptedModel({ replies: ['{"name":"Ada","age":"old"}', '{"name":"Ada","age":36}'] });
    const result = await modelFromProvider(provider).generateObject({ prompt: 'Who?', schema: z3.object({ name: z3.string(), age: z3.number() }) });
    expect(result).toMatchObject({ object: { name: 'Ada', age: 36 }, repairs: 1 });
    expect(provider.requests[0]!.responseFormat!.schema).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'number' } },
      required: ['name', 'age'],
    });
    expect(provider.requests[1]!.messages.at(-1)!.content).toContain('age: Expected number, received string');
  });

  it('generateObject takes a Standard Schema validator', async () => {
    const provider = scriptedModel({ replies: ['{"city":"Lima"}'] });
    const result = await modelFromProvider(provider).generateObject({ prompt: 'Where?', schema: cityValidator() });
    expect(result.object).toEqual({ city: 'Lima' });
  });

  it('generateObject with a junk schema fails with the clear error', async () => {
    const provider = scriptedModel({ replies: [] });
    await expect(modelFromProvider(provider).generateObject({ prompt: 'x', schema: { type: 'object' } as never })).rejects.toThrow(/Supported schemas/);
  });

  it('defineTool takes a zod 3 input: its JSON Schema is sent and calls are validated by it', async () => {
    const seen: unknown[] = [];
    const add = defineTool({
      name: 'add',
      description: 'Adds two numbers.',
      input: z3.object({ a: z3.number(), b: z3.number() }),
      execute: (input) => {
        seen.push(input);
        return input.a + input.b;
      },
    });
    expect(add.inputSchema).toEqual({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] });
    const provider = scriptedModel({
      replies: [{ toolCalls: [{ name: 'add', input: { a: 2, b: 'three' } }] }, { toolCalls: [{ name: 'add', input: { a: 2, b: 3 } }] }, 'five'],
    });
    const tf = await createTaskforce({ model: modelFromProvider(provider), tools: [add], seed: 1 });
    try {
      const result = await tf.task('add', 'Add 2 and 3.', 'researcher');
      expect(provider.requests[0]!.tools).toEqual([{ name: 'add', description: 'Adds two numbers.', inputSchema: add.inputSchema }]);
      expect(result.steps[0]!.toolCalls[0]).toMatchObject({ isError: true });
      expect(result.steps[0]!.toolCalls[0]!.output).toContain('b: Expected number, received string');
      expect(seen).toEqual([{ a: 2, b: 3 }]);
      expect(result.output).toBe('five');
    } finally {
      await tf.close();
    }
  });

  it('defineTool takes a Standard Schema input and rejects junk with the clear error', () => {
    const tool = defineTool({ name: 'weather', description: 'Weather.', input: cityValidator(), execute: ({ city }) => city });
    expect(tool.inputSchema).toMatchObject({ type: 'object', required: ['city'] });
    expect(tool.input.safeParse({ city: 'Oslo' })).toMatchObject({ success: true, data: { city: 'Oslo' } });
    expect(() => defineTool({ name: 'bad', description: 'Bad.', input: { a: 'number' } as never, execute: () => 1 })).toThrow(
      /tool "bad" input: an object with keys a is not a schema.*Supported schemas/,
    );
  });
});

describe('an outputSchema from zod 3 (orchestrate\u2019s final synthesis)', () => {
  it('shows the zod 3 JSON Schema of the answer and validates the answer with zod 3, re-asking on a mismatch', async () => {
    const Brief = z3.object({ headline: z3.string(), marketUsd: z3.number() });
    const provider = scriptedModel({
      replies: [
        JSON.stringify({ answer: { headline: 'Big', marketUsd: '4B' }, citations: [{ part: 'size', taskIds: ['size'] }] }),
        JSON.stringify({ answer: { headline: 'Big', marketUsd: 4e9 }, citations: [{ part: 'size', taskIds: ['size'] }] }),
      ],
    });
    const result = await synthesize({
      goal: 'Brief the board',
      results: [
        { taskId: 'size', title: 'Market size', output: 'About $4B.', agents: ['researcher'] },
        { taskId: 'rivals', title: 'Competitors', output: 'Acme leads.', agents: ['researcher'] },
      ],
      model: modelFromProvider(provider),
      outputSchema: Brief,
    });
    expect(result.output).toEqual({ headline: 'Big', marketUsd: 4e9 });
    const sent = provider.requests[0]!.responseFormat!.schema as { properties: { answer: unknown } };
    expect(sent.properties.answer).toEqual({
      type: 'object',
      properties: { headline: { type: 'string' }, marketUsd: { type: 'number' } },
      required: ['headline', 'marketUsd'],
    });
  });
});
