import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, startCli } from './cli-process.js';

beforeAll(requireBuiltCli);

describe('Ctrl-C during a run', () => {
  it('cancels through the AbortSignal, prints the partial result and exits 130', async () => {
    // Each scripted reply takes 400 ms, so the run is still working on its tasks when SIGINT arrives.
    const cli = startCli(['run', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls'], {
      env: { TASKFORCE_TEST_LATENCY_MS: '400' },
    });
    // Interrupt once the first task is done and the second is waiting on its (slow) reply.
    await cli.waitFor(/task summary started/);
    cli.child.kill('SIGINT');
    const { code, stdout, stderr } = await cli.done;
    expect(stderr).toContain('Ctrl-C: cancelling the run');
    expect(code).toBe(130);
    expect(stdout).toContain('=== Answer (PARTIAL — cancelled');
    expect(stdout).toMatch(/stopped by\s+cancelled/);
    // The partial result keeps what finished: the first task's output, and the tree with the second cancelled.
    expect(stdout).toContain('Owls hunt at night. Owls can turn their heads about 270 degrees.');
    expect(stdout).toMatch(/✓ facts\s+completed\s+researcher/);
    expect(stdout).toMatch(/- summary\s+cancelled/);
    expect(stdout).toMatch(/tasks\s+1 completed, 1 cancelled/);
  });

  it('exits 130 with --json too, with the partial result as JSON', async () => {
    const trace = join(await mkdtemp(join(tmpdir(), 'taskforce-sigint-')), 'trace.jsonl');
    const cli = startCli(['run', '--json', '--trace', trace, '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls'], {
      env: { TASKFORCE_TEST_LATENCY_MS: '400' },
    });
    // --json prints nothing until the end: watch the trace for the first task instead.
    await until(async () => (await readFile(trace, 'utf8').catch(() => '')).includes('"task.started"'));
    cli.child.kill('SIGINT');
    const { code, stdout } = await cli.done;
    expect(code).toBe(130);
    const result = JSON.parse(stdout);
    expect(result.ok).toBe(false);
    expect(result.stoppedBy.kind).toBe('cancelled');
  });
});

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await sleep(25);
  }
  throw new Error('condition not met within 5 s');
}
