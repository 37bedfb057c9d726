import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli-process.js';
import { runCli } from './run-cli.js';

const SGR = /\x1b\[\d+m/;
const RUN = ['run', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls'];

describe('taskforce --version', () => {
  it.each(['--version', '-v'])('%s prints the version in package.json and exits 0', async (flag) => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const { code, stdout, stderr } = await runCli([flag]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
    expect(stderr).toBe('');
  });

  it('is named in the main help', async () => {
    expect((await runCli(['--help'])).stdout).toContain('taskforce --version');
  });
});

describe('colour', () => {
  it('writes no escape codes into pipes', async () => {
    const { code, stdout, stderr } = await runCli(RUN);
    expect(code).toBe(0);
    expect(SGR.test(stdout)).toBe(false);
    expect(SGR.test(stderr)).toBe(false);
  });

  it('writes none on a terminal with NO_COLOR set', async () => {
    const terminal = { isTTY: true, columns: 120, rows: 60 };
    const { code, stdout, stderr } = await runCli(RUN, { env: { TERM: 'xterm-256color', NO_COLOR: '1' }, stdout: terminal, stderr: terminal });
    expect(code).toBe(0);
    expect(SGR.test(stdout)).toBe(false);
    expect(SGR.test(stderr)).toBe(false);
  });

  it('paints status marks and headings on a terminal', async () => {
    const terminal = { isTTY: true, columns: 120, rows: 60 };
    const { stdout, stderr } = await runCli(RUN, { env: { TERM: 'xterm-256color' }, stdout: terminal, stderr: terminal });
    expect(stdout).toContain('\x1b[1m=== Answer ===\x1b[22m');
    expect(stdout).toContain('\x1b[32m✓\x1b[39m facts');
    expect(stderr).toContain('\x1b[32m✓\x1b[39m facts');
  });

  it('paints the printed result with FORCE_COLOR=1 even into a pipe', async () => {
    const { stdout } = await runCli(RUN, { env: { FORCE_COLOR: '1' } });
    expect(stdout).toContain('\x1b[1m=== Run tree ===\x1b[22m');
    expect(stdout).toContain('\x1b[32m✓\x1b[39m summary');
  });
});
