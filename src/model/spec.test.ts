import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/taskforce-error.js';
import { scriptedModel } from './scripted.js';
import { parseModelSpec, resolveModelSpec } from './spec.js';

describe('parseModelSpec', () => {
  it('splits "provider:model" at the first colon, so model ids may contain colons', () => {
    expect(parseModelSpec('anthropic:claude-haiku-4-5')).toEqual({ provider: 'anthropic', model: 'claude-haiku-4-5' });
    expect(parseModelSpec(' openai:llama3.2:3b ')).toEqual({ provider: 'openai', model: 'llama3.2:3b' });
  });

  it('rejects a spec without provider, without model, or with an unknown provider, naming the spec', () => {
    for (const bad of ['gpt-5-mini', 'openai:', ':gpt-5', 'gemini:pro']) {
      const error = catchError(() => parseModelSpec(bad));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain(`"${bad}"`);
    }
  });
});

describe('resolveModelSpec', () => {
  it('reads TASKFORCE_MODEL and the provider key from the environment when no spec is given', () => {
    const resolved = resolveModelSpec(undefined, { TASKFORCE_MODEL: 'anthropic:claude-haiku-4-5', ANTHROPIC_API_KEY: 'sk-ant' });
    expect(resolved).toEqual({ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'sk-ant' }); // no base URL: the SDK's default
  });

  it('takes base URLs from ANTHROPIC_BASE_URL / OPENAI_BASE_URL, and explicit settings over the environment', () => {
    const env = { ANTHROPIC_API_KEY: 'a', ANTHROPIC_BASE_URL: 'http://proxy:1', OPENAI_API_KEY: 'o', OPENAI_BASE_URL: 'http://proxy:2/v1' };
    expect(resolveModelSpec('anthropic:m', env)).toMatchObject({ baseURL: 'http://proxy:1', apiKey: 'a' });
    expect(resolveModelSpec('openai:m', env)).toMatchObject({ baseURL: 'http://proxy:2/v1', apiKey: 'o' });
    expect(resolveModelSpec({ provider: 'openai', model: 'm', baseURL: 'http://mine/v1', apiKey: 'mine' }, env)).toMatchObject({
      baseURL: 'http://mine/v1',
      apiKey: 'mine',
    });
  });

  it('with nothing configured, explains every way to configure a model', () => {
    const error = catchError(() => resolveModelSpec(undefined, {}));
    expect(error).toBeInstanceOf(ConfigError);
    for (const hint of ['TASKFORCE_MODEL', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'localhost:11434', 'Ollama', 'scripted'])
      expect(error.message).toContain(hint);
  });

  it('names the missing key variable', () => {
    expect(catchError(() => resolveModelSpec('anthropic:claude-haiku-4-5', {})).message).toContain('ANTHROPIC_API_KEY');
    expect(catchError(() => resolveModelSpec('openai:gpt-5-mini', {})).message).toContain('OPENAI_API_KEY');
  });

  it('needs no key when told calls never reach the provider (cassette replay)', () => {
    expect(resolveModelSpec('anthropic:claude-haiku-4-5', {}, { requireApiKey: false })).toMatchObject({ provider: 'anthropic', apiKey: 'replay-only' });
    expect(resolveModelSpec('openai:gpt-5-mini', {}, { requireApiKey: false })).toMatchObject({ provider: 'openai', apiKey: 'replay-only' });
    expect(resolveModelSpec('openai:gpt-5-mini', { OPENAI_API_KEY: 'sk-real' }, { requireApiKey: false })).toMatchObject({ apiKey: 'sk-real' });
  });

  it('needs no key for an OpenAI-compatible local server', () => {
    const resolved = resolveModelSpec('openai:llama3.2', { OPENAI_BASE_URL: 'http://localhost:11434/v1' });
    expect(resolved).toMatchObject({ provider: 'openai', model: 'llama3.2', baseURL: 'http://localhost:11434/v1' });
    expect((resolved as { apiKey: string }).apiKey).not.toBe('');
  });

  it('rejects a base URL that is not a URL, naming where it came from', () => {
    expect(catchError(() => resolveModelSpec('openai:x', { OPENAI_BASE_URL: 'localhost' })).message).toContain('OPENAI_BASE_URL');
  });

  it('says which TASKFORCE_MODEL value was wrong', () => {
    const error = catchError(() => resolveModelSpec(undefined, { TASKFORCE_MODEL: 'claude' }));
    expect(error.message).toContain('TASKFORCE_MODEL "claude"');
  });

  it('passes custom adapters, LangChain and scripted configs through, and rejects unknown providers', () => {
    const custom = { provider: scriptedModel({ replies: [] }) };
    expect(resolveModelSpec(custom, {})).toBe(custom);
    const scripted = { provider: 'scripted' as const, replies: ['hi'] };
    expect(resolveModelSpec(scripted, {})).toBe(scripted);
    const error = catchError(() => resolveModelSpec({ provider: 'gemini' } as never, {}));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('"gemini"');
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
