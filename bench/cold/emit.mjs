/**
 * What every cold child shares: it prints exactly one JSON line (its measurement) on stdout, which
 * the parent (`bench/users/`) parses. Anything else a child writes goes to stderr.
 */
import { performance } from 'node:perf_hooks';

/** Prints the child's one result line. */
export function emit(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Milliseconds `fn` took, and what it returned. */
export async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** The `index`-th command-line argument as a number, or `fallback`. */
export function numberArg(index, fallback) {
  const text = process.argv[2 + index];
  return text === undefined ? fallback : Number(text);
}
