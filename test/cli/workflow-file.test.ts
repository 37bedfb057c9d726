import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli, startCli } from './run-cli.js';

const REPLIES = 'test/cli/fixtures/two-tasks.mjs';

async function fileWith(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'taskforce-wf-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('taskforce run <workflow file>', () => {
  it('runs a workflow file given as the goal: its steps, in order, without asking the planner', async () => {
    const path = await fileWith(
      'owls.yaml',
      ['goal: Say something about owls', 'steps:', '  - id: facts', '    title: Collect the facts', '    instructions: List two facts.', '  - id: summary', '    title: Summarise the facts', '    instructions: Summarise them.', ''].join('\n'),
    );
    const { code, stdout, stderr } = await runCli(['run', '--json', '--scripted', REPLIES, path]);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { output: string; tree: { planned: string; tasks: { id: string; status: string; output: string }[] } };
    expect(result.tree.planned).toBe('user');
    expect(result.tree.tasks.map((t) => [t.id, t.status])).toEqual([['facts', 'completed'], ['summary', 'completed']]);
    expect(result.tree.tasks[1]!.output).toBe('Owls are night hunters with very flexible necks.');
    expect(result.output).toContain('Owls hunt at night');
  });

  it('exits 2 on a workflow file with an unknown key, naming the file, the line, the step and the closest key', async () => {
    const path = await fileWith('typo.yaml', ['goal: Say something about owls', 'steps:', '  - id: facts', '    instructions: List two facts.', '    depends_on: [x]', ''].join('\n'));
    const { code, stderr } = await runCli(['run', '--scripted', REPLIES, path]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${path}:5`);
    expect(stderr).toContain('depends_on');
    expect(stderr).toContain('"inputs"');
    expect(stderr).toContain('[WORKFLOW_FILE_INVALID]');
  });

  it('a workflow run cut by Ctrl-C resumes from its journal: the workflow comes from the store, finished steps are not run again', async () => {
    const path = await fileWith(
      'owls.yaml',
      ['goal: Say something about owls', 'steps:', '  - id: facts', '    title: Collect the facts', '    instructions: List two facts.', '  - id: summary', '    title: Summarise the facts', '    instructions: Summarise them.', ''].join('\n'),
    );
    const db = join(path, '..', 'runs.db');
    vi.stubEnv('TASKFORCE_TEST_HOLD', 'summary');
    const cli = startCli(['run', '--db', db, '--run-id', 'wf-cut', '--scripted', REPLIES, path]);
    await cli.waitFor(/task summary started/);
    cli.interrupt();
    expect((await cli.done).code).toBe(130);
    vi.stubEnv('TASKFORCE_TEST_HOLD', '');
    const resumed = await runCli(['resume', '--json', '--db', db, 'wf-cut']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const result = JSON.parse(resumed.stdout) as { durable: { restoredTasks: number }; tree: { tasks: { id: string; status: string }[] } };
    expect(result.tree.tasks.map((t) => [t.id, t.status])).toEqual([['facts', 'completed'], ['summary', 'completed']]);
    expect(result.durable.restoredTasks).toBe(1);
  });
});
