import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// A folder with five valid agent files (claude-flow and Claude Code shapes) and one broken one.
const MIXED = 'test/fixtures/agents-mixed';

describe('taskforce agents with a folder holding an invalid file', () => {
  it('without --strict, loads the valid agents and lists the invalid file on stderr, one line', async () => {
    const { code, stdout, stderr } = await runCli(['agents', 'list', '--json', '--agents', MIXED, '--no-builtin']);
    expect(code).toBe(0);
    const names = (JSON.parse(stdout) as { name: string }[]).map((a) => a.name).sort();
    expect(names).toEqual(['code-reviewer', 'debugger', 'hooked-coder', 'system-architect', 'task-coordinator']);
    const skipped = stderr.split('\n').filter((l) => l.startsWith('skipped: '));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(new RegExp(`^skipped: .*${join(MIXED, 'broken.md')}:4: field "tools": invalid YAML: `));
    expect(stderr).toContain('priority "normal" read as "medium"');
  });

  it('with --strict, fails with exit 2 naming the file, line and field', async () => {
    const { code, stdout, stderr } = await runCli(['agents', 'list', '--strict', '--agents', MIXED, '--no-builtin']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${join(MIXED, 'broken.md')}:4: field "tools"`);
  });

  it('notes on stderr when a folder agent overrides a built-in', async () => {
    const { code, stderr } = await runCli(['agents', 'show', 'coder', '--agents', 'test/fixtures/agents/duplicates/a']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^note: agent "coder" from .*duplicates\/a\/coder\.md overrides the built-in agent "coder" \(.*coder\.md\)$/m);
  });

  it('still fails with exit 2 when two folder agents share a name', async () => {
    const { code, stderr } = await runCli(['agents', 'list', '--agents', 'test/fixtures/agents/duplicates']);
    expect(code).toBe(2);
    expect(stderr).toContain('agent "coder" is defined twice');
  });
});

describe('taskforce task, plan and run with a folder holding an invalid file', () => {
  const SCRIPT = 'test/cli/fixtures/two-tasks.mjs';

  it('without --strict, run with the valid agents and warn about the invalid file on stderr', async () => {
    const { code, stdout, stderr } = await runCli(['task', '--scripted', SCRIPT, '--agents', MIXED, 'researcher', 'Your task: Collect the facts']);
    expect(code).toBe(0);
    expect(stdout).not.toBe('');
    expect(stderr).toMatch(/warn: skipped invalid agent file \S*agents-mixed\/broken\.md:4: field "tools"/);
  });

  it.each([
    ['task', ['researcher', 'Your task: Collect the facts']],
    ['plan', ['Say something about owls']],
    ['run', ['Say something about owls']],
  ])('%s --strict fails with exit 2 naming the invalid file', async (command, rest) => {
    const { code, stderr } = await runCli([command, '--strict', '--scripted', SCRIPT, '--agents', MIXED, ...rest]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${join(MIXED, 'broken.md')}:4: field "tools"`);
  });
});
