import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, startCli } from './cli-process.js';

beforeAll(requireBuiltCli);

// TASKFORCE_TEST_HOLD=summary makes the fixture hold the "summary" task's reply until the run is
// cancelled, so SIGINT always arrives while that task is in flight, on a machine of any speed.
const HOLD = { TASKFORCE_TEST_HOLD: 'summary' };

describe('Ctrl-C during a run', { timeout: 120_000 }, () => {
  it('cancels through the AbortSignal, prints the partial result and exits 130', async () => {
    const cli = startCli(['run', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls'], { env: HOLD });
    await cli.waitFor(/task summary started/);
    cli.child.kill('SIGINT');
    const { code, stdout, stderr } = await cli.done;
    expect(stderr).toContain('Ctrl-C: cancelling the run');
    expect(code).toBe(130);
    expect(stdout).toContain('=== Answer (PARTIAL — cancelled with Ctrl-C) ===');
    expect(stdout).toMatch(/stopped by\s+cancelled with Ctrl-C/);
    // The partial result keeps what finished: the first task's output, and the tree with the second cancelled.
    expect(stdout).toContain('the run stopped before synthesis: these are the results of the tasks that finished');
    expect(stdout).toContain('Owls hunt at night. Owls can turn their heads about 270 degrees.');
    expect(stdout).toMatch(/✓ facts\s+completed\s+researcher/);
    expect(stdout).toMatch(/- summary\s+cancelled/);
    expect(stdout).toMatch(/tasks\s+1 completed, 1 cancelled/);
  });

  it('exits 130 with --json too, with the partial result as JSON', async () => {
    const trace = join(await mkdtemp(join(tmpdir(), 'taskforce-sigint-')), 'trace.jsonl');
    const cli = startCli(['run', '--json', '--trace', trace, '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls'], { env: HOLD });
    // --json prints nothing until the end: watch the trace for the held task instead.
    await until(async () => (await traceEvents(trace)).some((e) => e.type === 'task.started' && e.taskId === 'summary'));
    cli.child.kill('SIGINT');
    const { code, stdout } = await cli.done;
    expect(code).toBe(130);
    const result = JSON.parse(stdout);
    expect(result.ok).toBe(false);
    expect(result.stoppedBy.kind).toBe('cancelled');
    expect(result.tree.tasks.map((t: { id: string; status: string }) => [t.id, t.status])).toEqual([
      ['facts', 'completed'],
      ['summary', 'cancelled'],
    ]);
  });
});

/** The complete lines of a trace being written (a line still being written is left out). */
async function traceEvents(path: string): Promise<{ type?: string; taskId?: string }[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as { type?: string; taskId?: string });
}

/** Polls `condition` until it holds; generous, since a loaded CI machine may be slow to start the CLI. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await condition()) return;
    await sleep(50);
  }
  throw new Error('condition not met within 60 s');
}
