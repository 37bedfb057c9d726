import { resolve } from 'node:path';
import type { Clock } from '../util/clock.js';

/** A stream the CLI writes to; `isTTY` / `columns` decide between the live and the plain view. */
export interface CliStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
  /** A terminal's `'resize'` event (process.stderr emits it): the live view redraws at the new size. */
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

/** Everything a command touches outside itself, so tests can run the CLI in-process too. */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Fires on Ctrl-C (SIGINT): the command cancels its run through it and prints what finished. */
  readonly interrupt: AbortSignal;
  readonly clock: Clock;
}

/**
 * A path from the command line, resolved against the CLI's working directory (`io.cwd`) rather than
 * the process's, so the CLI run in-process with another `cwd` reads and writes the same files.
 */
export function cliPath(io: Pick<CliIo, 'cwd'>, path: string): string {
  return resolve(io.cwd, path);
}

/** Writes `text` and a newline. */
export function println(stream: CliStream, text = ''): void {
  stream.write(`${text}\n`);
}
