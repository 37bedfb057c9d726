import { runCli as runCliInProcess } from '../../src/cli/cli.js';
import type { CliIo, CliStream } from '../../src/cli/io.js';
import { AbortedError } from '../../src/errors/taskforce-error.js';
import { systemClock, type Clock } from '../../src/util/clock.js';
import { ROOT, cleanEnv } from './cli-process.js';

// The CLI in-process: `runCli` from the source with captured output, a clean environment and an
// interrupt the test fires in place of Ctrl-C. Every CLI test uses this, unless it is about the
// process itself (signals, exit codes a shell sees, the built bin): those are in binary.test.ts.

/** What a terminal (or a pipe, the default) looks like to the CLI. */
export interface StreamShape {
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

export interface CliOptions {
  /** Added to the clean environment (which has no `TASKFORCE_`, `ANTHROPIC_` or `OPENAI_` variable). */
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory the CLI resolves relative paths against; default the repository root. */
  readonly cwd?: string;
  readonly stdout?: StreamShape;
  readonly stderr?: StreamShape;
  readonly clock?: Clock;
}

/** A finished in-process CLI call: the exit code `runCli` returned and everything it wrote. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** What `waitFor` waits for in the text a stream has received so far. */
export type Pattern = RegExp | ((text: string) => boolean);

const matches = (pattern: Pattern, text: string) => (typeof pattern === 'function' ? pattern(text) : pattern.test(text));

/** An in-process CLI call in flight. */
export interface CliCall {
  /** Fires the CLI's interrupt with the reason `main.ts` gives on the first SIGINT. */
  interrupt(): void;
  stdout(): string;
  stderr(): string;
  /**
   * Resolves once what stderr (or stdout) has received so far matches `pattern` (a RegExp, or a
   * predicate of the whole text); rejects if the call ends first.
   */
  waitFor(pattern: Pattern, stream?: 'stdout' | 'stderr'): Promise<void>;
  readonly done: Promise<CliResult>;
}

/** Starts `taskforce ...argv` in-process. */
export function startCli(argv: readonly string[], options: CliOptions = {}): CliCall {
  const text = { stdout: '', stderr: '' };
  const waiters = new Set<{ pattern: Pattern; stream: 'stdout' | 'stderr'; resolve: () => void }>();
  const stream = (name: 'stdout' | 'stderr', shape: StreamShape = {}): CliStream => ({
    ...shape,
    write(chunk: string) {
      text[name] += chunk;
      for (const waiter of waiters)
        if (waiter.stream === name && matches(waiter.pattern, text[name])) {
          waiters.delete(waiter);
          waiter.resolve();
        }
      return true;
    },
  });
  const interrupt = new AbortController();
  const io: CliIo = {
    stdout: stream('stdout', options.stdout),
    stderr: stream('stderr', options.stderr),
    env: cleanEnv(options.env),
    cwd: options.cwd ?? ROOT,
    interrupt: interrupt.signal,
    clock: options.clock ?? systemClock(),
  };
  const exitCodeBefore = process.exitCode;
  const done = runCliInProcess(argv, io).then((code) => {
    // The exit code is runCli's answer; setting the process's is main.ts's job alone.
    if (process.exitCode !== exitCodeBefore) throw new Error(`runCli set process.exitCode to ${String(process.exitCode)}`);
    return { code, stdout: text.stdout, stderr: text.stderr };
  });
  return {
    interrupt: () => interrupt.abort(new AbortedError('cancelled with Ctrl-C (SIGINT)')),
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    waitFor: (pattern, name = 'stderr') =>
      new Promise<void>((resolve, reject) => {
        if (matches(pattern, text[name])) return resolve();
        waiters.add({ pattern, stream: name, resolve });
        done.then(
          (r) => reject(new Error(`the CLI returned ${r.code} before printing ${String(pattern)}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`)),
          reject,
        );
      }),
    done,
  };
}

/** Runs `taskforce ...argv` in-process to completion. */
export function runCli(argv: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(argv, options).done;
}
