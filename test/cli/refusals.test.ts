import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// What the CLI refuses, and how it says so: files and flags the user must fix exit 2 with a reason
// on one line; a run that fails exits 1 and the live view says it failed.

const REPLIES = 'test/cli/fixtures/two-tasks.mjs';

/** "Billion laughs": each line repeats the one before nine times. */
const BILLION_LAUGHS = [
  'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...['b', 'c', 'd', 'e', 'f'].map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcde'[i]}`).join(', ')}]`),
].join('\n');

async function fileWith(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'taskforce-cli-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('taskforce: files the user must fix', () => {
  it('exits 2 on a --plan whose tasks form a cycle, naming the cycle on one line', async () => {
    const { code, stderr, stdout } = await runCli(['run', '--plan', 'test/cli/fixtures/cycle-plan.yaml', '--scripted', REPLIES]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const reasons = stderr.split('\n').filter((line) => line.includes('dependency cycle'));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toContain('cycle-plan.yaml:6 (tasks[0].dependsOn): dependency cycle: facts → summary → facts');
    expect(stderr).toContain('[PLAN_INVALID]');
  });

  it('exits 1, not 2, when the planner model keeps planning a cycle (the run failed)', async () => {
    const { code, stderr } = await runCli(['run', '--json', '--scripted', 'test/cli/fixtures/cyclic-planner.mjs', 'Say something about owls']);
    expect(code).toBe(1);
    expect(stderr).toContain('[PLAN_INVALID]');
  });

  it('exits 2 on a YAML bomb in a --plan file, naming the file', async () => {
    const path = await fileWith('bomb.yaml', `${BILLION_LAUGHS}\ngoal: boom\ntasks: [{ id: t, title: T, instructions: "*f" }]\n`);
    const { code, stderr } = await runCli(['run', '--plan', path, '--scripted', REPLIES]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${path}: invalid YAML: Excessive alias count`);
    expect(stderr).toContain('[PLAN_FILE_INVALID]');
  });

  it('exits 2 on a YAML bomb in an eval suite, naming the file', async () => {
    const path = await fileWith('bomb.yaml', `${BILLION_LAUGHS}\nname: boom\ncases: []\n`);
    const { code, stderr } = await runCli(['eval', path, '--scripted', REPLIES]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${path}: invalid YAML: Excessive alias count`);
    expect(stderr).toContain('[EVAL_SUITE_INVALID]');
  });
});

describe('taskforce: numeric flags', () => {
  it.each([
    [['run', '--budget-usd', '-1'], '--budget-usd must be a number >= 0, got "-1"'],
    [['run', '--max-depth', '-2'], '--max-depth must be an integer >= 0, got "-2"'],
    [['run', '--concurrency', '-.5'], '--concurrency must be an integer >= 1, got "-.5"'],
  ])('takes a negative number after %j as its value, then refuses it with a one-line reason and exit 2', async (args, reason) => {
    const { code, stderr } = await runCli([...args, '--scripted', REPLIES, 'Say something about owls']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(`taskforce run: ${reason}`);
  });

  it('still accepts a negative number where the flag allows one (--seed -7)', async () => {
    const { code } = await runCli(['run', '--json', '--seed', '-7', '--scripted', REPLIES, 'Say something about owls']);
    expect(code).toBe(0);
  });
});

describe('taskforce run: the live view of a run that failed', () => {
  it('says the run failed, and why, instead of "run completed"', async () => {
    const { code, stderr } = await runCli(['run', '--scripted', 'test/cli/fixtures/failing-task.mjs', 'Say something about owls']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/task facts failed: the research service is down/);
    expect(stderr).not.toMatch(/run completed/);
    expect(stderr).toMatch(/\] run failed after [^:]+ \(\$0\): task "facts" failed: the research service is down$/m);
  });
});
