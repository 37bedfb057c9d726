import { afterAll, describe, expect, it } from 'vitest';
import { closeDefaultRuntime, defaultRuntime, runtimeConfigFromEnv } from '../../src/api/default-runtime.js';
import { Task } from '../../src/api/task.js';
import { useAimock } from '../support/aimock.js';

const server = useAimock();
const ENV_KEYS = ['TASKFORCE_MODEL', 'OPENAI_BASE_URL', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'TASKFORCE_CONCURRENCY'] as const;
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

afterAll(async () => {
  await closeDefaultRuntime();
  for (const key of ENV_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

describe('bare Task() and the default runtime', () => {
  it('without TASKFORCE_MODEL or an API key fails with a message saying how to configure one, and recovers once it is set', async () => {
    for (const key of ENV_KEYS) delete process.env[key];
    await expect(Task('x', 'hello', 'researcher')).rejects.toThrow(/TASKFORCE_MODEL/);

    process.env.TASKFORCE_MODEL = 'openai:gpt-5-mini';
    process.env.OPENAI_BASE_URL = server().openaiBaseURL;
    process.env.OPENAI_API_KEY = 'test-key';
    process.env.TASKFORCE_CONCURRENCY = '2';
    server().mock.onMessage('Name one prime', { content: 'Seven.' });

    const result = await Task('prime', 'Name one prime number.', 'researcher');

    expect(result).toMatchObject({ output: 'Seven.', agent: 'researcher' });
    expect(server().modelRequests()[0]).toMatchObject({ model: 'gpt-5-mini' });
    const runtime = await defaultRuntime();
    expect(runtime.limits.concurrency).toBe(2);
    // One runtime for every bare call in the process.
    expect(await defaultRuntime()).toBe(runtime);
  });

  it('reads limits and budgets from the environment and rejects malformed values by name', () => {
    expect(
      runtimeConfigFromEnv({ TASKFORCE_MODEL: 'anthropic:claude-haiku-4-5', TASKFORCE_AGENTS_DIR: 'a:b', TASKFORCE_MAX_COST_USD: '0.5', TASKFORCE_ALLOW_HOOKS: '1' }),
    ).toMatchObject({ model: 'anthropic:claude-haiku-4-5', agentsDir: ['a', 'b'], budgets: { maxCostUsd: 0.5 }, limits: { allowHooks: true } });
    expect(() => runtimeConfigFromEnv({ TASKFORCE_MODEL: 'openai:x', TASKFORCE_CONCURRENCY: 'lots' })).toThrow(
      'TASKFORCE_CONCURRENCY must be a positive number, got "lots"',
    );
  });

  it('picks a provider default model from a bare API key, as the CLI does', () => {
    expect(runtimeConfigFromEnv({ OPENAI_API_KEY: 'k' })).toMatchObject({ model: 'openai:gpt-5-mini' });
    expect(runtimeConfigFromEnv({ ANTHROPIC_API_KEY: 'k' })).toMatchObject({ model: 'anthropic:claude-haiku-4-5' });
    // TASKFORCE_MODEL still wins over a key.
    expect(runtimeConfigFromEnv({ OPENAI_API_KEY: 'k', TASKFORCE_MODEL: 'openai:gpt-5' })).toMatchObject({ model: 'openai:gpt-5' });
    expect(() => runtimeConfigFromEnv({})).toThrow(/TASKFORCE_MODEL.*ANTHROPIC_API_KEY or OPENAI_API_KEY/);
  });

  it('builds an openai model from OPENAI_API_KEY alone', async () => {
    const { createRuntime } = await import('../../src/runtime/runtime.js');
    const runtime = await createRuntime(runtimeConfigFromEnv({ OPENAI_API_KEY: 'k' }));
    try {
      expect(runtime.models.worker).toMatchObject({ provider: 'openai', modelId: 'gpt-5-mini' });
    } finally {
      await runtime.close();
    }
  });
});
