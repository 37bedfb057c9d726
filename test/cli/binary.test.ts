import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, CLI, requireBuiltCli, ROOT, runBuiltCli, startBuiltCli } from './cli-process.js';

// The only CLI tests that spawn a process: each is about the process itself — the built bin, exit
// codes as a shell sees them, a real SIGINT, plain node's module loader. Every other CLI test runs
// in-process through run-cli.ts, which is many times faster.

beforeAll(requireBuiltCli);

describe('the built taskforce binary', { timeout: 120_000 }, () => {
  it('is the bin package.json installs, and "npm run demo" builds and runs it', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(join(ROOT, pkg.bin.taskforce)).toBe(CLI);
    expect(pkg.scripts.demo).toBe('npm run build --silent && node dist/pkg/cli/main.js demo');
    expect((await readFile(CLI, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    // Executable as built (npm makes an installed bin so too): `./dist/pkg/cli/main.js` runs, and so does a linked bin.
    expect((await stat(CLI)).mode & 0o111).toBe(0o111);
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

/**
 * The exit status of a process as a shell reports it in `$?`: its code, or 128 + the signal's number
 * when a signal ended it (npm re-raises a signal that ended its child, and so may end by it).
 */
function shellStatus(code: number | null, signal: NodeJS.Signals | null): number {
  return code ?? 128 + (signal ? constants.signals[signal] : 0);
}

/**
 * A project that depends on taskforce, laid out as `npm install taskforce-agents` leaves it: the package
 * under node_modules (a link to this repository) and its bin in node_modules/.bin. npx finds the bin
 * there, as it does for a user. (Run inside this repository instead, npx first installs the repository
 * itself into its own cache, which depends on the machine's npm cache and is not what users run.)
 */
async function consumerProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'taskforce-npx-'));
  await mkdir(join(dir, 'node_modules', '.bin'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'uses-taskforce', private: true, dependencies: { 'taskforce-agents': '*' } }));
  await symlink(ROOT, join(dir, 'node_modules', 'taskforce-agents'), 'dir');
  await symlink(join('..', 'taskforce-agents', relative(ROOT, CLI)), join(dir, 'node_modules', '.bin', 'taskforce'));
  return dir;
}

/** `npx --no-install taskforce ...args` from `cwd`, in a process group of its own. */
function startNpx(cwd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}) {
  const child = spawn('npx', ['--no-install', 'taskforce', ...args], { cwd, env: cleanEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let onOutput = () => {};
  child.stdout.setEncoding('utf8').on('data', (d: string) => ((stdout += d), onOutput()));
  child.stderr.setEncoding('utf8').on('data', (d: string) => ((stderr += d), onOutput()));
  const done = new Promise<{ status: number; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ status: shellStatus(code, signal), stdout, stderr }));
  });
  // Rejects, with what npx printed, when npx ends before printing `pattern`: a failure says why, never hangs.
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      onOutput = () => pattern.test(stderr) && resolve();
      onOutput();
      void done.then((end) => reject(new Error(`npx ended (status ${end.status}) before printing ${pattern}:\n${end.stderr}${end.stdout}`)));
    });
  return { child, done, waitFor };
}

describe('exit codes through npx (npm exec runs the bin below a shell and npm)', { timeout: 120_000 }, () => {
  let project: string;
  beforeAll(async () => {
    project = await consumerProject();
  });
  afterAll(() => rm(project, { recursive: true, force: true }));

  it('passes on 0 for --version and 2 for a usage error', async () => {
    const version = await startNpx(project, ['--version']).done;
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    const usage = await startNpx(project, ['run', '--bogus', 'goal']).done;
    expect(usage.status, usage.stderr).toBe(2);
    expect(usage.stderr).toContain("'--bogus'");
  });

  it('passes on 130 after the partial result when Ctrl-C reaches the whole process group', async () => {
    // A terminal sends Ctrl-C's SIGINT to every process in the foreground group: npm, its shell and
    // the CLI. The CLI cancels, prints the partial result and exits 130 itself (main.ts).
    const fixture = join(ROOT, 'test', 'cli', 'fixtures', 'two-tasks.mjs');
    const npx = startNpx(project, ['run', '--scripted', fixture, 'Say something about owls'], { TASKFORCE_TEST_HOLD: 'summary' });
    await npx.waitFor(/task summary started/);
    process.kill(-npx.child.pid!, 'SIGINT');
    const { status, stdout, stderr } = await npx.done;
    expect(stderr).toContain('Ctrl-C: cancelling the run');
    expect(stdout).toContain('=== Answer (PARTIAL — cancelled with Ctrl-C) ===');
    expect(stdout).toMatch(/tasks\s+1 completed, 1 cancelled/);
    expect(status).toBe(130);
  });
});
