import { describe, expect, it } from 'vitest';
import { defineAgent } from './define.js';
import { AgentDefinitionError } from './errors.js';

describe('defineAgent', () => {
  it('builds an agent with normalised capabilities and split tools', () => {
    const agent = defineAgent({
      name: 'sql-expert',
      description: 'Writes SQL',
      systemPrompt: '  You write SQL.\n',
      capabilities: ['Code', 'data_analysis', 'code'],
      tools: 'query, explain',
      priority: 'high',
    });
    expect(agent).toEqual({
      name: 'sql-expert',
      description: 'Writes SQL',
      systemPrompt: 'You write SQL.',
      capabilities: ['code', 'data-analysis'],
      tools: ['query', 'explain'],
      priority: 'high',
      metadata: {},
      source: 'code',
    });
  });

  it('rejects an invalid field with the agent and field named', () => {
    const attempt = () =>
      defineAgent({ name: 'bad', description: 'x', systemPrompt: 'y', priority: 'urgent' as never });
    expect(attempt).toThrow(AgentDefinitionError);
    expect(attempt).toThrow('defineAgent("bad"): field "priority": expected one of low|medium|high|critical, got "urgent"');
  });

  it('rejects a missing description and a non-positive maxTurns', () => {
    expect(() => defineAgent({ name: 'a', description: ' ', systemPrompt: 'p' })).toThrow(
      'defineAgent("a"): field "description": must not be empty',
    );
    expect(() => defineAgent({ name: 'a', description: 'd', systemPrompt: 'p', maxTurns: 2.5 })).toThrow(
      'field "maxTurns": expected a positive integer, got 2.5',
    );
  });

  it('keeps explicit metadata and puts unknown fields of untyped callers there too', () => {
    const input = { name: 'x', description: 'd', systemPrompt: 'p', metadata: { team: 'data' }, version: 3 };
    expect(defineAgent(input).metadata).toEqual({ team: 'data', version: 3 });
  });

  it('records the given source', () => {
    expect(defineAgent({ name: 'x', description: 'd', systemPrompt: 'p', source: 'config.yaml' }).source).toBe('config.yaml');
  });
});
