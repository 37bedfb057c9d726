import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import type { CliIo } from '../../src/cli/io.js';
import { systemClock } from '../../src/util/clock.js';
import { cleanEnv } from './cli-process.js';

function io(stdout: { isTTY?: boolean; columns?: number }): CliIo & { out: () => string } {
  let out = '';
  return {
    stdout: { ...stdout, write: (t: string) => ((out += t), true) },
    stderr: { write: () => true },
    env: cleanEnv(),
    cwd: process.cwd(),
    interrupt: new AbortController().signal,
    clock: systemClock(),
    out: () => out,
  };
}

describe('agents list and the terminal width', { timeout: 60_000 }, () => {
  it('cuts each agent to one line of the terminal', async () => {
    const terminal = io({ isTTY: true, columns: 80 });
    expect(await runCli(['agents', 'list'], terminal)).toBe(0);
    const lines = terminal.out().trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.every((line) => line.length <= 79)).toBe(true);
    expect(lines.find((line) => line.startsWith('researcher'))).toMatch(/…$/);
  });

  it('prints whole descriptions into a pipe', async () => {
    const pipe = io({});
    expect(await runCli(['agents', 'list'], pipe)).toBe(0);
    const lines = pipe.out().trimEnd().split('\n');
    expect(lines.some((line) => line.length > 79)).toBe(true);
    expect(lines.some((line) => line.endsWith('…'))).toBe(false);
  });
});
