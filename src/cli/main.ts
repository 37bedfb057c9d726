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

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  interrupt: interrupt.signal,
  clock: systemClock(),
});
process.exitCode = code;
