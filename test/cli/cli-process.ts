import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The built CLI as a child process, for the few tests about the process itself (binary.test.ts):
// the bin, a real SIGINT, exit codes as a shell sees them. Other CLI tests run it in-process (run-cli.ts).

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI, as `package.json` `bin` and `npm run demo` run it. */
export const CLI = join(ROOT, 'dist', 'pkg', 'cli', 'main.js');

/** Fails the suite with a clear message when the CLI has not been built. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: the CLI tests run the built CLI. Run \`npm run build\` first (\`npm test\` does, in its pretest step).`);
}

/**
 * The process environment without anything that configures a model (so tests never reach a provider
 * by accident) or colour, and with the run store in memory (`TASKFORCE_DB=:memory:`), so that a journaled
 * `taskforce run` never writes `.taskforce/` into the repository; a test that wants a file says `--db`.
 */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    // Colour settings too: a test that wants colour (or none) says so, whatever the shell running vitest has set.
    if (!/^(TASKFORCE_|ANTHROPIC_|OPENAI_)/.test(key) && !['NODE_OPTIONS', 'FORCE_COLOR', 'NO_COLOR'].includes(key)) env[key] = value;
  return { ...env, TASKFORCE_DB: ':memory:', ...extra };
}

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI process in flight, with its output so far. */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr (or stdout) has printed text matching `pattern`. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<void>;
  done: Promise<CliRun>;
}

/** Starts `node dist/pkg/cli/main.js ...args` with a clean environment (plus `env`). */
export function startBuiltCli(args: readonly string[], options: { env?: Readonly<Record<string, string>>; cwd?: string } = {}): CliProcess {
  requireBuiltCli();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; stream: 'stdout' | 'stderr'; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters])
      if (w.pattern.test(w.stream === 'stdout' ? out : err)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => ((out += d), check()));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => ((err += d), check()));
  const done = new Promise<CliRun>((resolveDone, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout: out, stderr: err }));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor: (pattern, stream = 'stderr') =>
      new Promise<void>((resolveWait, reject) => {
        waiters.push({ pattern, stream, resolve: resolveWait });
        check();
        done.then(
          (r) => reject(new Error(`the CLI exited (code ${r.code}) before printing ${pattern}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`)),
          reject,
        );
      }),
    done,
  };
}

/** Runs the built CLI to completion. */
export function runBuiltCli(args: readonly string[], options: { env?: Readonly<Record<string, string>>; cwd?: string } = {}): Promise<CliRun> {
  return startBuiltCli(args, options).done;
}
