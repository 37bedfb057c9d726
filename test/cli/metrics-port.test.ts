import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli, startCli } from './run-cli.js';

const REPLIES = 'test/cli/fixtures/two-tasks.mjs';
const GOAL = 'Say something about owls';

const blockers: Server[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(blockers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** The value of the one series `name{labels}` in a Prometheus text exposition. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no series ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

describe('taskforce run --metrics-port', () => {
  it('serves the metrics of the run in flight on loopback, and stops serving when the command ends', async () => {
    // The summary task's reply waits until the run is cancelled: the run is held mid-way.
    vi.stubEnv('TASKFORCE_TEST_HOLD', 'summary');
    const cli = startCli(['run', '--metrics-port', '0', '--scripted', REPLIES, GOAL]);
    await cli.waitFor(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics\n/);
    const url = /metrics on (\S+)/.exec(cli.stderr())![1]!;
    await cli.waitFor(/task facts completed/);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(sample(text, 'taskforce_runs_started_total{level="root"}')).toBe(1);
    expect(text).not.toMatch(/^taskforce_runs_total\{/m);
    expect(sample(text, 'taskforce_tasks_total{status="completed"}')).toBe(1);
    // The planner's call and the facts task's call have finished; the summary's is in flight.
    expect(sample(text, 'taskforce_model_calls_total{provider="scripted",model="scripted",outcome="finished"}')).toBe(2);
    expect(sample(text, 'taskforce_slots_in_use{resource="scheduler.slot"}')).toBe(1);

    cli.interrupt();
    const { code } = await cli.done;
    expect(code).toBe(130);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('refuses a port out of range with exit 2 and the reason', async () => {
    const { code, stderr } = await runCli(['run', '--metrics-port', '70000', '--scripted', REPLIES, GOAL]);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe('taskforce run: --metrics-port must be an integer >= 0 <= 65535, got "70000"');
  });

  it('refuses a port already taken with exit 2 before running anything', async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const { code, stderr, stdout } = await runCli(['run', '--metrics-port', String(port), '--scripted', REPLIES, GOAL]);
    expect(code).toBe(2);
    expect(stderr).toContain(`taskforce run: cannot serve metrics on 127.0.0.1:${port}: EADDRINUSE [CONFIG_ERROR]`);
    expect(stderr).not.toMatch(/plan: /);
    expect(stdout).toBe('');
  });
});

describe('taskforce serve-metrics', () => {
  it("serves the metrics of a run's trace until Ctrl-C", async () => {
    const trace = join(await mkdtemp(join(tmpdir(), 'taskforce-metrics-')), 'run.jsonl');
    expect((await runCli(['run', '--trace', trace, '--scripted', REPLIES, GOAL])).code).toBe(0);

    const cli = startCli(['serve-metrics', '--port', '0', '--trace', trace]);
    await cli.waitFor(/Ctrl-C stops\n/);
    const url = /metrics on (\S+)/.exec(cli.stderr())![1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const text = await (await fetch(url)).text();
    expect(sample(text, 'taskforce_runs_total{level="root",outcome="completed"}')).toBe(1);
    expect(sample(text, 'taskforce_tasks_total{status="completed"}')).toBe(2);
    expect(sample(text, 'taskforce_model_calls_total{provider="scripted",model="scripted",outcome="finished"}')).toBe(4);
    expect(sample(text, 'taskforce_task_duration_seconds_count{status="completed"}')).toBe(2);

    cli.interrupt();
    expect((await cli.done).code).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('needs --trace (exit 2)', async () => {
    const { code, stderr } = await runCli(['serve-metrics', '--port', '0']);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe('taskforce serve-metrics: missing --trace FILE');
  });
});
