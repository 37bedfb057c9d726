import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { TaskforceEvent } from '../../src/events/types.js';
import { loadSuite } from '../../src/eval/load-suite.js';
import { runSuite } from '../../src/eval/runner.js';
import { runCli } from '../cli/run-cli.js';
import { autoClock } from '../support/auto-clock.js';

describe('eval runs, observed', () => {
  it("hands every event of every case's run to onEvent", async () => {
    const suite = await loadSuite('evals/agents.mjs', process.cwd());
    const events: TaskforceEvent[] = [];
    const report = await runSuite(suite, { clock: autoClock(), onEvent: (event) => events.push(event) });
    expect(report.results.length).toBeGreaterThan(0);
    const calls = events.filter((e) => e.type === 'model.call.finished' || e.type === 'agent.completed');
    expect(calls.length).toBeGreaterThanOrEqual(report.results.length);
  });

  it('taskforce eval --metrics-port serves while the suite runs and closes the port after', async () => {
    const { code, stderr } = await runCli(['eval', 'evals/agents.mjs', '--metrics-port', '0'], { clock: autoClock() });
    expect(code, stderr).toBe(0);
    const url = new URL(/metrics on (\S+)/.exec(stderr)![1]!);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(url.port), url.hostname);
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
