import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('taskforce usage', () => {
  it.each(['run', 'plan', 'task', 'agents', 'eval', 'demo', 'resume', 'runs', 'approve', 'reject', 'dlq', 'worker'])('prints the help of "%s" on --help and exits 0', async (command) => {
    const { code, stdout, stderr } = await runCli([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: taskforce ${command}`);
    expect(stderr).toBe('');
  });

  it('lists every command in the main help', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['run', 'plan', 'task', 'agents', 'eval', 'demo', 'resume', 'runs', 'approve', 'reject', 'dlq', 'worker']) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('exits 2 on an unknown command, naming it and showing the commands', async () => {
    const { code, stdout, stderr } = await runCli(['launch', 'x']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown command "launch"');
    expect(stderr).toContain('Usage: taskforce <command>');
  });

  it('exits 2 without a command', async () => {
    const { code, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stderr).toContain('missing command');
  });

  it('exits 2 on an unknown flag, naming it and showing the command usage', async () => {
    const { code, stderr } = await runCli(['run', '--bogus', 'goal']);
    expect(code).toBe(2);
    expect(stderr).toContain("'--bogus'");
    expect(stderr).toContain('Usage: taskforce run');
  });

  it('exits 2 on a missing argument, naming it', async () => {
    const run = await runCli(['run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing argument <goal>');
    const task = await runCli(['task', 'researcher']);
    expect(task.code).toBe(2);
    expect(task.stderr).toContain('missing argument <prompt>');
    expect(task.stderr).toContain('Usage: taskforce task');
  });

  it('exits 2 on a flag value that is not a number in range', async () => {
    const negative = await runCli(['run', '--max-depth=-1', '--scripted', 'x.json', 'goal']);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('--max-depth must be an integer >= 0, got "-1"');
    const word = await runCli(['run', '--budget-usd', 'lots', '--scripted', 'x.json', 'goal']);
    expect(word.code).toBe(2);
    expect(word.stderr).toContain('--budget-usd must be a number >= 0, got "lots"');
  });

  it('exits 2 when two model sources are given at once', async () => {
    const { code, stderr } = await runCli(['run', '--model', 'openai:gpt-5-mini', '--scripted', 'x.json', 'goal']);
    expect(code).toBe(2);
    expect(stderr).toContain('use only one of --model, --scripted');
  });

  it('exits 2 on a goal split into several arguments, suggesting quotes', async () => {
    const { code, stderr } = await runCli(['run', 'write', 'a', 'poem']);
    expect(code).toBe(2);
    expect(stderr).toContain('put the goal in quotes');
  });
});

describe('taskforce run without a model', () => {
  it('says how to configure Anthropic, OpenAI, a local server, and how to run offline, and exits 2', async () => {
    const { code, stdout, stderr } = await runCli(['run', 'Plan a picnic']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('no model is configured');
    expect(stderr).toContain('export ANTHROPIC_API_KEY=');
    expect(stderr).toContain('export OPENAI_API_KEY=');
    expect(stderr).toContain('export OPENAI_BASE_URL=http://localhost:11434/v1');
    expect(stderr).toContain('TASKFORCE_MODEL=');
    expect(stderr).toContain('npm run demo');
    expect(stderr).toContain('taskforce run --scripted FILE "your goal"');
    expect(stderr).toContain('taskforce run --cassette FILE.jsonl "your goal"');
    // Current model ids only: the Anthropic SDK marks the Sonnet 4.5 ids deprecated.
    expect(stderr).toContain('uses anthropic:claude-haiku-4-5');
    expect(stderr).toContain('TASKFORCE_MODEL=anthropic:claude-sonnet-5-5');
    expect(stderr).not.toMatch(/claude-sonnet-4|claude-3/);
  });

  it('gives the same guidance for plan and task, with examples of that command', async () => {
    const plan = await runCli(['plan', 'Plan a picnic']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain('taskforce plan: no model is configured');
    expect(plan.stderr).toContain('taskforce plan --model anthropic:claude-haiku-4-5 "your goal"');
    const task = await runCli(['task', 'researcher', 'hi']);
    expect(task.code).toBe(2);
    expect(task.stderr).toContain('taskforce task --scripted FILE researcher "your prompt"');
  });

  it('exits 2 on an unknown strategy before any model is called', async () => {
    const { code, stderr } = await runCli(['run', '--strategy', 'democracy', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'goal']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown strategy "democracy": use direct, consensus, hierarchical, auction, stigmergy');
    expect(stderr).not.toContain('Replies are SCRIPTED');
  });

  it('names a missing key when a model is named without one, before claiming to call it', async () => {
    const { code, stderr } = await runCli(['run', '--model', 'anthropic:claude-haiku-4-5', 'Plan a picnic']);
    expect(code).toBe(2);
    expect(stderr).toContain('ANTHROPIC_API_KEY');
    expect(stderr).not.toContain('live calls to the provider');
  });
});

describe('taskforce worker: usage', () => {
  it('needs a Redis URL, and says where to give it', async () => {
    const { code, stderr } = await runCli(['worker', '--scripted', 'test/cli/fixtures/two-tasks.mjs']);
    expect(code).toBe(2);
    expect(stderr).toContain('missing --redis URL (or TASKFORCE_REDIS_URL)');
  });

  it('refuses a --rate-limit that is not N or N/MS', async () => {
    const { code, stderr } = await runCli(['worker', '--redis', 'redis://127.0.0.1:1', '--rate-limit', 'fast', '--scripted', 'test/cli/fixtures/two-tasks.mjs']);
    expect(code).toBe(2);
    expect(stderr).toContain('--rate-limit takes N or N/MS');
  });

  it('refuses a --token-limit that is not N or N/MS', async () => {
    const { code, stderr } = await runCli(['worker', '--redis', 'redis://127.0.0.1:1', '--token-limit', '0/1000', '--scripted', 'test/cli/fixtures/two-tasks.mjs']);
    expect(code).toBe(2);
    expect(stderr).toContain('--token-limit takes N or N/MS (tokens per window in ms), got "0/1000"');
  });

  it('refuses a --max-in-flight below 1', async () => {
    const { code, stderr } = await runCli(['worker', '--redis', 'redis://127.0.0.1:1', '--max-in-flight', '0', '--scripted', 'test/cli/fixtures/two-tasks.mjs']);
    expect(code).toBe(2);
    expect(stderr).toContain('--max-in-flight');
  });
});
