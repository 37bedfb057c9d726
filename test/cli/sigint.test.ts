import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCli } from './run-cli.js';

// Ctrl-C in-process: the test fires the CLI's interrupt, as main.ts does on SIGINT. A real SIGINT
// to the built binary, and the exit code a shell sees, are in binary.test.ts.

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('Ctrl-C during a run', () => {
  it('exits 130 with --json too, with the partial result as JSON', async () => {
    // The fixture holds the "summary" task's reply until the run is cancelled, so the interrupt
    // always arrives while that task is in flight, on a machine of any speed.
    vi.stubEnv('TASKFORCE_TEST_HOLD', 'summary');
    const trace = join(await mkdtemp(join(tmpdir(), 'taskforce-sigint-')), 'trace.jsonl');
    const cli = startCli(['run', '--json', '--trace', trace, '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls']);
    // --json prints nothing until the end: watch the trace for the held task instead.
    await until(async () => (await traceEvents(trace)).some((e) => e.type === 'task.started' && e.taskId === 'summary'));
    cli.interrupt();
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

/** Polls `condition` until it holds (the trace is written through a file stream, so there is no event to await). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await condition()) return;
    await sleep(10);
  }
  throw new Error('condition not met within 20 s');
}
