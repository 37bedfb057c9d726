import { describe, expect, it } from 'vitest';
import { useAimock } from '../support/aimock.js';
import { runCli } from './run-cli.js';

// The CLI with a key set runs for real: the real OpenAI SDK, over HTTP, against aimock on loopback.
const server = useAimock();

const PLAN = {
  tasks: [{ id: 'count', title: 'Count the owls', instructions: 'Count the owls in the park.', capabilities: [], dependsOn: [], effort: 1 }],
};

describe('taskforce with a provider configured in the environment', () => {
  it('runs a Task through the OpenAI SDK and prints the answer with usage (task)', async () => {
    server().mock.onMessage('Name the smallest odd prime', { content: '3', usage: { prompt_tokens: 40, completion_tokens: 1 } });
    const { code, stdout, stderr } = await runCli(['task', 'researcher', 'Name the smallest odd prime.'], {
      env: { TASKFORCE_MODEL: 'openai:gpt-4o-mini', OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server().openaiBaseURL },
    });
    expect(stderr).toContain('Model: openai:gpt-4o-mini (live calls to the provider)');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('3');
    expect(stdout).toMatch(/researcher: 1 model call\(s\)/);
    expect(server().modelRequests()).toHaveLength(1);
  });

  it('picks a default model from OPENAI_API_KEY alone', async () => {
    server().mock.onMessage('Say yes', { content: 'yes' });
    const { code, stdout } = await runCli(['task', '--json', 'generalist', 'Say yes.'], {
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server().openaiBaseURL },
    });
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.output).toBe('yes');
    expect(result.model).toEqual({ label: 'openai:gpt-5-mini', provenance: 'live' });
    expect(server().modelRequests()[0]).toMatchObject({ model: 'gpt-5-mini' });
  });

  it('stops the run on --budget-usd, prints the partial result and exits 1', async () => {
    server().mock.onMessage('Plan an owl census', { content: JSON.stringify(PLAN), usage: { prompt_tokens: 100_000, completion_tokens: 100 } });
    const { code, stdout } = await runCli(['run', '--budget-usd', '0.001', '--model', 'openai:gpt-4o-mini', 'Plan an owl census'], {
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server().openaiBaseURL },
    });
    expect(code).toBe(1);
    expect(stdout).toContain('=== Answer (PARTIAL');
    expect(stdout).toMatch(/stopped by\s+budget costUsd/);
  });

  it('runs the demo goal on the configured model, not on the scripted replies, when a key is set (demo)', async () => {
    const mentions = (text: string) => (req: { messages?: unknown }) => JSON.stringify(req.messages ?? []).includes(text);
    const LIBRARY_PLAN = {
      tasks: [{ id: 'lend', title: 'Choose what to lend', instructions: 'Pick the first tools to lend.', capabilities: [], dependsOn: [], effort: 1 }],
    };
    server().mock.on({ predicate: mentions('You are the planner of a team of AI agents') }, { content: JSON.stringify(LIBRARY_PLAN) });
    server().mock.on({ predicate: () => true }, { content: 'Drills and ladders.' });
    const { code, stdout, stderr } = await runCli(['demo', '--strategy', 'direct', '--max-depth', '0', '--refine', '1'], {
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server().openaiBaseURL },
    });
    expect(stderr).toContain('Model: openai:gpt-5-mini (live calls to the provider)');
    expect(stdout + stderr).not.toMatch(/scripted/i);
    expect(code).toBe(0);
    expect(stdout).toMatch(/=== Answer ===\n\nDrills and ladders\.\n/);
    expect(JSON.stringify(server().modelRequests()[0])).toContain('neighbourhood tool library');
  });
});
