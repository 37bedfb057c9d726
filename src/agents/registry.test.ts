import { describe, expect, it } from 'vitest';
import { defineAgent } from './define.js';
import { DuplicateAgentError, UnknownAgentError } from './errors.js';
import { createAgentRegistry } from './registry.js';

const agent = (name: string, source = 'code') => defineAgent({ name, description: `${name} agent`, systemPrompt: 'p', source });

describe('createAgentRegistry', () => {
  const registry = createAgentRegistry(['writer', 'coder', 'code-reviewer', 'tester'].map((n) => agent(n)));

  it('lists agents sorted by name and answers get/has', () => {
    expect(registry.list().map((a) => a.name)).toEqual(['code-reviewer', 'coder', 'tester', 'writer']);
    expect(registry.get('coder')?.name).toBe('coder');
    expect(registry.get('nobody')).toBeUndefined();
    expect(registry.has('tester')).toBe(true);
    expect(registry.has('Tester')).toBe(false);
  });

  it('require of an unknown name lists the closest names first and all names when few', () => {
    const error = (() => {
      try {
        registry.require('codr');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnknownAgentError);
    const unknown = error as UnknownAgentError;
    expect(unknown.code).toBe('AGENT_UNKNOWN');
    expect(unknown.suggestions[0]).toBe('coder');
    expect(unknown.message).toBe(
      'unknown agent "codr". Did you mean "coder"? Known agents: code-reviewer, coder, tester, writer.',
    );
  });

  it('suggests names that contain the one asked for', () => {
    expect(() => registry.require('reviewer')).toThrow('Did you mean "code-reviewer"?');
  });

  it('suggests close names even among many, without listing them all', () => {
    const big = createAgentRegistry(Array.from({ length: 40 }, (_, i) => agent(`agent-${i}`)));
    const error = (() => {
      try {
        big.require('agent-7x');
      } catch (e) {
        return e as UnknownAgentError;
      }
    })();
    expect(error?.suggestions).toHaveLength(3);
    expect(error?.suggestions[0]).toBe('agent-7');
    expect(error?.message).toMatch(/^unknown agent "agent-7x". Did you mean "agent-7" or "agent-\d+" or "agent-\d+"\? 40 agents are registered.$/);
  });

  it('does not list every name when there are many', () => {
    const big = createAgentRegistry(Array.from({ length: 40 }, (_, i) => agent(`agent-${i}`)));
    expect(() => big.require('zzz')).toThrow(/^unknown agent "zzz". 40 agents are registered.$/);
  });

  it('rejects two agents with one name, naming both sources', () => {
    expect(() => createAgentRegistry([agent('coder', 'a/coder.md'), agent('coder', 'b/coder.md')])).toThrow(
      new DuplicateAgentError('coder', { file: 'a/coder.md' }, { file: 'b/coder.md' }),
    );
    expect(() => createAgentRegistry([agent('coder', 'a/coder.md'), agent('coder', 'b/coder.md')])).toThrow(
      'agent "coder" is defined twice: a/coder.md and b/coder.md',
    );
  });
});
