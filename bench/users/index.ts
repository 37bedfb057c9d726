/**
 * What users get (issue 13): `Task()` and `orchestrate()` beside the bare scheduler and raw
 * promises, cold and warm; W2 makespan; memory per agent run in flight; big plans; the capability
 * index; start-up; the real-provider path; token estimates. Every measurement runs in fresh `node`
 * processes on the built package (`dist/`, built by `prebench`), from the scripts in `bench/cold/`.
 * Prints one table (median, spread, target, met / not met) and writes `bench/results/latest.json`.
 * It never fails on a number.
 *
 *   npm run bench                                   (all benchmarks)
 *   npm run build && node --import tsx bench/users/index.ts
 *   BENCH_QUICK=1 ...                               (fewer repeats)
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { measureCapabilityIndex } from './capability-index.js';
import { notMeasured, type Figure } from './figure.js';
import { startLoopback } from './loopback.js';
import { measureMakespan } from './makespan.js';
import { measureMemory } from './memory.js';
import { measurePerTask } from './per-task.js';
import { measurePlans } from './plans.js';
import { measureProviderOverhead } from './provider.js';
import { printTable, writeResults } from './report.js';
import { ROOT } from './spawn.js';
import { measureStartup } from './startup.js';
import { measureTokenEstimate } from './tokens.js';

/** Repeat counts, chosen so the whole `npm run bench` stays near 10 minutes on 2 cores. */
const REPEATS = {
  full: { perTask: 5, warmRounds: 2, makespan: 5, memory: 2, plans: 3, index: 5, startup: 9, cliCall: 5, batches: 10, perBatch: 200, tokenRounds: 20 },
  quick: { perTask: 3, warmRounds: 1, makespan: 3, memory: 1, plans: 1, index: 3, startup: 5, cliCall: 3, batches: 6, perBatch: 100, tokenRounds: 20 },
};
export const RESULTS_PATH = join(ROOT, 'bench/results/latest.json');

export async function main(): Promise<Figure[]> {
  const quick = process.env.BENCH_QUICK === '1';
  const r = quick ? REPEATS.quick : REPEATS.full;
  if (!existsSync(join(ROOT, 'dist/src/index.js'))) {
    console.log('dist/ is not built: run `npm run build` first (`npm run bench` does).');
    return [];
  }
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadBefore.toFixed(2)}${quick ? ', BENCH_QUICK=1' : ''}`);
  const loopback = await startLoopback();
  const figures: Figure[] = [];
  const group = async (name: string, measure: () => Figure[] | Promise<Figure[]>) => {
    try {
      figures.push(...(await measure()));
    } catch (error) {
      figures.push(notMeasured(name, '', error instanceof Error ? error.message : String(error)));
    }
  };
  try {
    await group('µs per task', () => measurePerTask(r.perTask, r.warmRounds));
    await group('W2 makespan', () => measureMakespan(r.makespan));
    await group('memory per agent run', () => measureMemory(r.memory));
    await group('plan building', () => measurePlans(r.plans));
    await group('capability index', () => measureCapabilityIndex(r.index));
    await group('start-up', () => measureStartup(r.startup, r.cliCall, loopback));
    await group('provider overhead', () => measureProviderOverhead(r.batches, r.perBatch, loopback));
    await group('token estimate', () => measureTokenEstimate(r.tokenRounds));
  } finally {
    await loopback.close();
  }
  const durationS = (performance.now() - started) / 1000;
  console.log(
    `\nCold = the first run in a fresh node process on dist/ (import and runtime creation not counted); warm = later runs in ` +
      `those processes, pooled. Task() and orchestrate() run on createTaskforce with a zero-latency scripted model ` +
      `(concurrency 64); raw and scheduler tasks are empty async functions. W2 bound = 10,000 × 20 ms / 64 ` +
      `(+ 2 calls for orchestrate's planner and synthesis). KiB/MiB are binary. ${durationS.toFixed(0)} s, load average ` +
      `${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}.\n`,
  );
  printTable(figures);
  writeResults(RESULTS_PATH, figures, { node: process.version, cpus: cpus().length, quick, repeats: r, durationS, date: new Date().toISOString() });
  console.log(`\nwritten to ${RESULTS_PATH}`);
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
