import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli-process.js';
import { runCli } from './run-cli.js';

const REPLIES = 'test/cli/fixtures/two-tasks.mjs';

describe('taskforce run', () => {
  it('shows progress on stderr, then the answer, the run tree and the metrics on stdout, and exits 0', async () => {
    const { code, stdout, stderr } = await runCli(['run', '--scripted', REPLIES, 'Say something about owls']);
    expect(code).toBe(0);
    // Not a TTY: the live view prints one line per event.
    expect(stderr).toContain('Replies are SCRIPTED');
    expect(stderr).toMatch(/plan: 2 task\(s\)/);
    expect(stderr).toMatch(/task facts completed/);
    expect(stderr).toMatch(/facts: direct: best match researcher/);
    expect(stdout).toContain('=== Answer ===');
    expect(stdout).toContain('Owls hunt at night and can turn their heads about 270 degrees [facts, summary].');
    expect(stdout).toMatch(/✓ facts\s+completed\s+researcher/);
    expect(stdout).toMatch(/✓ summary\s+completed\s+writer/);
    expect(stdout).toMatch(/model calls\s+4/);
    expect(stdout).toMatch(/tasks\s+2 completed/);
    expect(stdout).toContain('replies      Replies are SCRIPTED');
  });

  it('prints only JSON on stdout with --json', async () => {
    const { code, stdout, stderr } = await runCli(['run', '--json', '--scripted', REPLIES, 'Say something about owls']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const result = JSON.parse(stdout);
    expect(result.ok).toBe(true);
    expect(result.model.provenance).toBe('scripted');
    expect(result.output).toContain('[facts, summary]');
    expect(result.metrics.modelCalls).toBe(4);
    expect(result.tree.tasks.map((t: { id: string; status: string }) => [t.id, t.status])).toEqual([
      ['facts', 'completed'],
      ['summary', 'completed'],
    ]);
  });

  it('writes every event to --trace as JSON lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskforce-cli-'));
    const trace = join(dir, 'run.jsonl');
    const { code } = await runCli(['run', '--trace', trace, '--scripted', REPLIES, 'Say something about owls']);
    expect(code).toBe(0);
    const events = (await readFile(trace, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    const types = events.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('run.started');
    expect(types).toContain('plan.created');
    expect(types.filter((t: string) => t === 'task.completed')).toHaveLength(2);
    expect(types.at(-1)).toBe('run.completed');
  });

  it('runs a plan file instead of asking the planner (--plan), with the goal taken from it', async () => {
    const { code, stdout } = await runCli(['run', '--json', '--plan', 'test/cli/fixtures/plan.yaml', '--scripted', REPLIES]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.tree.planned).toBe('user');
    expect(result.tree.goal).toBe('Say something about owls');
    // No planner call: two agents and the synthesizer.
    expect(result.metrics.modelCalls).toBe(3);
  });

  it('runs with --refine and reports the rounds', async () => {
    const { code, stdout } = await runCli(['run', '--json', '--refine', '3', '--scripted', REPLIES, 'Say something about owls']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.metrics.refine.reason).toBe('stable');
    expect(result.metrics.rounds).toBe(2);
  });

  it('exits 2 naming the file when the scripted replies file does not exist', async () => {
    const { code, stderr } = await runCli(['run', '--scripted', 'nope/replies.json', 'goal']);
    expect(code).toBe(2);
    expect(stderr).toContain('nope/replies.json');
    expect(stderr).toContain('REPLIES_FILE_INVALID');
  });

  it('reads --plan and --scripted and writes --trace relative to its working directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskforce-cli-'));
    await copyFile(join(ROOT, 'test/cli/fixtures/plan.yaml'), join(dir, 'plan.yaml'));
    await copyFile(join(ROOT, REPLIES), join(dir, 'replies.mjs'));
    const { code, stdout } = await runCli(['run', '--json', '--plan', 'plan.yaml', '--scripted', 'replies.mjs', '--trace', 'run.jsonl'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).tree.goal).toBe('Say something about owls');
    const events = (await readFile(join(dir, 'run.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(events.at(-1).type).toBe('run.completed');
  });
});
