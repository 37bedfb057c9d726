import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli-process.js';
import { runCli } from './run-cli.js';

describe('taskforce plan', () => {
  it('prints the task tree with dependencies, layers and the critical path', async () => {
    const { code, stdout } = await runCli(['plan', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^facts\s+research\s+—\s+1\s+Collect the facts$/m);
    expect(stdout).toMatch(/^summary\s+writing\s+facts\s+1\s+Summarise the facts$/m);
    expect(stdout).toContain('critical path: facts → summary');
  });

  it('prints the tree as JSON with --json', async () => {
    const { code, stdout } = await runCli(['plan', '--json', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls']);
    expect(code).toBe(0);
    const tree = JSON.parse(stdout);
    expect(tree.tasks.map((t: { id: string }) => t.id)).toEqual(['facts', 'summary']);
    expect(tree.analysis.criticalPath).toEqual(['facts', 'summary']);
  });
});

describe('taskforce task', () => {
  it('runs one agent on a prompt and prints its answer', async () => {
    const { code, stdout } = await runCli(['task', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'researcher', 'Your task: Collect the facts']);
    expect(code).toBe(0);
    expect(stdout).toContain('Owls hunt at night.');
    expect(stdout).toMatch(/— researcher: 1 model call\(s\)/);
  });

  it('exits 2 on an unknown agent, suggesting the closest name', async () => {
    const { code, stderr } = await runCli(['task', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'reseacher', 'hello']);
    expect(code).toBe(2);
    expect(stderr).toContain('reseacher');
    expect(stderr).toContain('researcher');
  });
});

describe('taskforce agents', () => {
  it('lists the built-in agents with their capabilities', async () => {
    const { code, stdout } = await runCli(['agents', 'list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^researcher\s+research, fact-checking/m);
    expect(stdout).toMatch(/^writer\s+/m);
  });

  it('lists agents as JSON, including those of --agents folders', async () => {
    const { code, stdout } = await runCli(['agents', 'list', '--json', '--agents', 'test/fixtures/agents/valid', '--no-builtin']);
    expect(code).toBe(0);
    const agents = JSON.parse(stdout);
    expect(agents.length).toBeGreaterThan(0);
    expect(agents.every((a: { source: string }) => a.source.includes('test/fixtures/agents/valid'))).toBe(true);
  });

  it('reads --agents folders relative to its working directory', async () => {
    const { code, stdout } = await runCli(['agents', 'list', '--json', '--agents', 'valid', '--no-builtin'], { cwd: join(ROOT, 'test/fixtures/agents') });
    expect(code).toBe(0);
    const agents = JSON.parse(stdout);
    expect(agents.length).toBeGreaterThan(0);
    expect(agents.every((a: { source: string }) => a.source.startsWith(join(ROOT, 'test/fixtures/agents/valid')))).toBe(true);
  });

  it('shows one agent with its system prompt', async () => {
    const { code, stdout } = await runCli(['agents', 'show', 'researcher']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^name:\s+researcher$/m);
    expect(stdout.split('\n\n').length).toBeGreaterThan(1);
  });

  it('exits 2 on an unknown subcommand or agent', async () => {
    expect((await runCli(['agents', 'remove'])).code).toBe(2);
    const unknown = await runCli(['agents', 'show', 'wirter']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('writer');
  });
});
