#!/usr/bin/env node
import { AbortedError } from '../errors/taskforce-error.js';
import { systemClock } from '../util/clock.js';
import { runCli } from './cli.js';
import { EXIT } from './exit-codes.js';

// The process shell around `runCli`: SIGINT cancels the run through an AbortSignal (the command
// prints the partial result and exits 130); a second Ctrl-C quits at once.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(EXIT.CANCELLED);
  interrupt.abort(new AbortedError('cancelled with Ctrl-C (SIGINT)'));
});
// SIGTERM (a deploy, a container stop) stops the same way: a run prints its partial result, a worker
// finishes the runs in hand.
process.on('SIGTERM', () => {
  if (interrupt.signal.aborted) process.exit(EXIT.CANCELLED);
  interrupt.abort(new AbortedError('stopped by SIGTERM'));
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  interrupt: interrupt.signal,
  clock: systemClock(),
});

// Exit with the code explicitly, once what was written has been flushed, rather than setting
// `process.exitCode` and waiting for the event loop to drain. Under `npx` / `npm exec` we run below a
// shell and npm, which get the same Ctrl-C from the terminal and forward it: a handle still open after
// the run (a socket, a timer in an SDK) would keep us alive until a forwarded SIGINT lands on the
// "quit at once" path above, or until npm gives up on us, and the wrapper would report its own code.
// We do not re-raise SIGINT to die by the signal: the contract (docs/cli.md) is the exit code 130
// after a printed partial result, and a normal exit with that code is what every wrapper passes on.
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);

/** Resolves once everything written to `stream` so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0) return resolve();
    stream.write('', () => resolve());
  });
}
