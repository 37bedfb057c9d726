import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../errors/taskforce-error.js';
import { defineTool, toolSpecOf } from './define-tool.js';

describe('defineTool', () => {
  it('gives the model the JSON Schema of the zod input', () => {
    const tool = defineTool({
      name: 'search_web',
      description: 'Searches the web',
      input: z.object({ query: z.string().describe('What to look for'), limit: z.number().int().optional() }),
      execute: () => [],
    });
    expect(toolSpecOf(tool)).toEqual({
      name: 'search_web',
      description: 'Searches the web',
      inputSchema: {
        type: 'object',
        properties: { query: { type: 'string', description: 'What to look for' }, limit: { type: 'integer', minimum: expect.any(Number), maximum: expect.any(Number) } },
        required: ['query'],
        additionalProperties: false,
      },
    });
  });

  it('rejects names the providers would refuse, empty descriptions, bad timeouts and non-object inputs', () => {
    const base = { description: 'd', input: z.object({}), execute: () => null };
    expect(() => defineTool({ ...base, name: 'web search' })).toThrow(ConfigError);
    expect(() => defineTool({ ...base, name: 'x'.repeat(65) })).toThrow(/tool name/);
    expect(() => defineTool({ ...base, name: 'ok', description: ' ' })).toThrow('tool "ok" needs a description');
    expect(() => defineTool({ ...base, name: 'ok', timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number/);
    expect(() => defineTool({ ...base, name: 'ok', input: z.string() })).toThrow(/input must be a zod object schema/);
  });

  it('marks a tool as side-effecting only when asked, and rejects a sideEffects that is not a boolean', () => {
    const base = { description: 'd', input: z.object({}), execute: () => null };
    expect(defineTool({ ...base, name: 'read' }).sideEffects).toBeUndefined();
    expect(defineTool({ ...base, name: 'read', sideEffects: false }).sideEffects).toBeUndefined();
    expect(defineTool({ ...base, name: 'wipe', sideEffects: true }).sideEffects).toBe(true);
    expect(() => defineTool({ ...base, name: 'wipe', sideEffects: 'yes' as unknown as boolean })).toThrow('tool "wipe": sideEffects must be true or false, got yes');
  });
});
