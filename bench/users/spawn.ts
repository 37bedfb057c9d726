/**
 * Cold processes: each measurement runs in a fresh `node` on the built package (`dist/`), from a
 * child script in `bench/cold/` that prints one JSON line. Children run one at a time (2 cores).
 */
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** The repository root (children run there). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A child's JSON line, or why there is none. */
export type ChildResult = { readonly ok: true; readonly value: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly error: string };

export interface ChildOptions {
  /** Flags before the script, e.g. `--expose-gc`. */
  readonly nodeFlags?: readonly string[];
  /** Killed (and reported as timed out) after this long; default 5 minutes. */
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

const DEFAULT_TIMEOUT_MS = 300_000;

function argv(script: string, args: readonly string[], options: ChildOptions): string[] {
  return [...(options.nodeFlags ?? []), fileURLToPath(new URL(`../cold/${script}`, import.meta.url)), ...args];
}

/** Runs `bench/cold/<script>` to its end, blocking. */
export function runChild(script: string, args: readonly string[] = [], options: ChildOptions = {}): ChildResult {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const run = spawnSync(process.execPath, argv(script, args, options), {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
    env: options.env ?? process.env,
  });
  const timedOut = (run.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return outcome({ stdout: run.stdout ?? '', stderr: run.stderr ?? '', status: run.status, signal: run.signal, timedOut, timeoutMs });
}

/** Runs `bench/cold/<script>` without blocking this process (for children talking to a server here). */
export async function runChildAsync(script: string, args: readonly string[] = [], options: ChildOptions = {}): Promise<ChildResult> {
  const run = await spawnAndWait(argv(script, args, options), options);
  return outcome(run);
}

interface Finished {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly timeoutMs: number;
}

/** Spawns `node ...args`; `onSpawn` gets the `performance.now()` just before the spawn. */
export function spawnAndWait(args: readonly string[], options: ChildOptions = {}, onSpawn?: (at: number) => void): Promise<Finished> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  onSpawn?.(performance.now());
  const child = spawn(process.execPath, args, { cwd: ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status, signal, timedOut, timeoutMs });
    }),
  );
}

/** Wall time of a whole `node ...args` process, spawn to exit, as `{ ms }`. */
export function processMs(args: readonly string[]): ChildResult {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: DEFAULT_TIMEOUT_MS });
  const ms = performance.now() - start;
  return run.status === 0 ? { ok: true, value: { ms } } : { ok: false, error: `exit ${run.status ?? run.signal}: ${firstError(run.stderr ?? '')}` };
}

function outcome(run: Finished): ChildResult {
  if (run.timedOut) return { ok: false, error: `timed out after ${run.timeoutMs / 1000} s` };
  if (run.status !== 0) return { ok: false, error: `exit ${run.status ?? run.signal}: ${firstError(run.stderr)}` };
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return { ok: true, value: JSON.parse(last) as Record<string, unknown> };
  } catch {
    return { ok: false, error: `no JSON result line (stdout ended ${JSON.stringify(last.slice(-120))})` };
  }
}

/** The line of a child's stderr that says what went wrong. */
function firstError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /Error\b|heap out of memory|Killed/.test(l)) ?? lines.at(-1) ?? 'no output').slice(0, 300);
}

/** `repeats` rounds, each running `run(key)` for every key in turn, so the keys share the machine's noise. */
export function interleaved<K extends string, T>(repeats: number, keys: readonly K[], run: (key: K) => T): Map<K, T[]> {
  const results = new Map<K, T[]>(keys.map((key) => [key, []]));
  for (let i = 0; i < repeats; i++) for (const key of keys) results.get(key)!.push(run(key));
  return results;
}
