import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, requireBuiltCli, ROOT, runBuiltCli, startBuiltCli } from './cli-process.js';

// The only CLI tests that spawn a process: each is about the process itself — the built bin, exit
// codes as a shell sees them, a real SIGINT, plain node's module loader. Every other CLI test runs
// in-process through run-cli.ts, which is many times faster.

beforeAll(requireBuiltCli);

describe('the built taskforce binary', { timeout: 120_000 }, () => {
  it('is the bin package.json installs, and "npm run demo" builds and runs it', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(join(ROOT, pkg.bin.taskforce)).toBe(CLI);
    expect(pkg.scripts.demo).toBe('npm run build --silent && node dist/src/cli/main.js demo');
    expect((await readFile(CLI, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('prints the main help on --help and exits 0', async () => {
    const { code, stdout, stderr } = await runBuiltCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: taskforce <command>');
    expect(stderr).toBe('');
  });

  it('exits 2 on a usage error, naming it on stderr', async () => {
    const { code, stdout, stderr } = await runBuiltCli(['run', '--bogus', 'goal']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("'--bogus'");
    expect(stderr).toContain('Usage: taskforce run');
  });

  it('runs the offline demo end to end and exits 0', async () => {
    const { code, stdout, stderr } = await runBuiltCli(['demo']);
    expect(code).toBe(0);
    expect(stderr).toContain('runs OFFLINE on SCRIPTED replies written by hand');
    expect(stdout).toContain('=== Answer ===');
    expect(stdout).toContain('If the grant does not arrive');
    expect(stdout).toMatch(/runs\s+2 \(deepest level 1\)/);
    expect(stdout).toContain('Replies are SCRIPTED: written by hand in examples/demo/replies.mjs, not produced by a real model');
  });

  it('exits 2 on a TypeScript eval suite under plain node, saying how to run it', async () => {
    // In-process (under vitest) the suite would import: only plain node shows this error.
    const { code, stderr } = await runBuiltCli(['eval', 'test/eval/fixtures/typed-suite.ts']);
    expect(code).toBe(2);
    expect(stderr).toContain('plain node cannot import a TypeScript suite');
    expect(stderr).toContain('npx tsx');
  });
});

describe('Ctrl-C (SIGINT) to the built binary', { timeout: 120_000 }, () => {
  it('cancels through the AbortSignal, prints the partial result and exits 130', async () => {
    // TASKFORCE_TEST_HOLD=summary makes the fixture hold the "summary" task's reply until the run is
    // cancelled, so SIGINT always arrives while that task is in flight, on a machine of any speed.
    const cli = startBuiltCli(['run', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls'], { env: { TASKFORCE_TEST_HOLD: 'summary' } });
    await cli.waitFor(/task summary started/);
    cli.child.kill('SIGINT');
    const { code, signal, stdout, stderr } = await cli.done;
    expect(stderr).toContain('Ctrl-C: cancelling the run');
    expect(signal).toBeNull();
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
});
