/**
 * Durable runs benchmark (issue 14): what journaling costs. A durable run appends every model call and
 * task result to its journal before acting on it, and the SQLite store makes each append durable
 * (WAL, `synchronous = FULL`: an fsync per transaction). This measures:
 *
 *   1. journal append latency: single-entry `append`s of a ~1 KB `model.call` entry on a SQLite store
 *      in a temp dir (p50 / p99 / max; target p99 < 5 ms);
 *   2. the added wall time per task of journaling a 1,000-task `orchestrate()` run (user plan, zero-
 *      latency scripted model, concurrency 8, no sub-runs): durable on SQLite vs not durable, and durable
 *      on the in-memory store, which separates the engine's journaling work from SQLite's fsyncs;
 *   3. store size and journal entries per task after one such run.
 *
 * Only (1) has a target; the others are reported. It never fails on a number.
 *
 *   npm run bench                                   (all benchmarks)
 *   node --expose-gc --import tsx bench/durable.ts
 *   BENCH_QUICK=1 ...                               (fewer repeats)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { modelFromProvider } from '../src/model/model.js';
import { scriptedModel } from '../src/model/scripted.js';
import type { PlanSpecInput } from '../src/plan/types.js';
import { memoryRunStore } from '../src/store/memory-run-store.js';
import type { JournalAppend, RunStore } from '../src/store/run-store.js';
import { openSqliteRunStore } from '../src/store/sqlite-run-store.js';
import { figure, measureGroup, type Figure } from './users/figure.js';
import { printTable, writeResults } from './users/report.js';
import { ROOT } from './users/spawn.js';
import { pairedDifferences, summarise } from './users/stats.js';
import { BENCH_AGENTS, benchReplies, timedRun as timedOrchestrate } from './support/bench-team.js';

const REPEATS = {
  full: { appendRounds: 4, appendsPerRound: 500, runs: 9 },
  quick: { appendRounds: 2, appendsPerRound: 250, runs: 5 },
};
const TASKS = 1_000;
const TASKS_TEXT = TASKS.toLocaleString('en');
const CONCURRENCY = 8;
const APPEND_P99_TARGET_MS = 5;
/** Its own file: `bench/results/latest.json` is the users' benchmark's, rewritten whole on each run. */
export const RESULTS_PATH = join(ROOT, 'bench/results/durable.json');
const REPORTED = 'target: none — reported';

export async function main(): Promise<Figure[]> {
  const quick = process.env.BENCH_QUICK === '1';
  const r = quick ? REPEATS.quick : REPEATS.full;
  const dir = mkdtempSync(join(tmpdir(), 'taskforce-bench-durable-'));
  console.log(`node ${process.version}, ${cpus().length} CPUs, SQLite store in ${dir}${quick ? ', BENCH_QUICK=1' : ''}`);
  const started = performance.now();
  const figures: Figure[] = [];
  const group = (name: string, measure: () => Promise<Figure[]>) => measureGroup(figures, name, measure);
  try {
    await group('journal append latency', () => measureAppends(join(dir, 'appends.db'), r.appendRounds, r.appendsPerRound));
    await group('journaling a 1,000-task run', () => measureRuns(dir, r.runs));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const durationS = (performance.now() - started) / 1000;
  console.log(`\n${TASKS_TEXT}-task layered plan, zero-latency scripted model, concurrency ${CONCURRENCY}, maxDepth 0. ${durationS.toFixed(0)} s.\n`);
  printTable(figures);
  writeResults(RESULTS_PATH, figures, { node: process.version, cpus: cpus().length, quick, repeats: r, durationS, date: new Date().toISOString() });
  console.log(`\nwritten to ${RESULTS_PATH}`);
  return figures;
}

// ---- 1. append latency ---------------------------------------------------------------------------

/** A `model.call` entry the way `journaledModel` writes one: a GenerateResult of about 1 KB. */
function modelCallEntry(i: number): JournalAppend {
  const text = `Finding ${i}: ` + 'The evidence gathered from the three sources agrees on the main point, with one caveat. '.repeat(10);
  const data = { text, toolCalls: [], usage: { inputTokens: 1834, outputTokens: 212 }, stopReason: 'end', modelId: 'claude-sonnet-4-5', costUsd: 0.008682 };
  return { kind: 'model.call', path: `t${i % 50}`, key: `${(i * 2654435761).toString(16).padStart(32, '0').slice(0, 32)}#0`, data, at: Date.now() };
}

async function measureAppends(path: string, rounds: number, perRound: number): Promise<Figure[]> {
  const store = await openSqliteRunStore(path);
  try {
    await store.createRun({ runId: 'appends', goal: 'bench', options: {}, createdAt: Date.now() });
    for (let i = 0; i < 50; i++) await store.append('appends', [modelCallEntry(i)]); // warm-up
    const all: number[] = [];
    const p99s: number[] = [];
    const maxes: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const samples: number[] = [];
      for (let i = 0; i < perRound; i++) {
        const entry = modelCallEntry(round * perRound + i);
        const start = performance.now();
        await store.append('appends', [entry]);
        samples.push(performance.now() - start);
      }
      all.push(...samples);
      p99s.push(quantile(samples, 0.99));
      maxes.push(Math.max(...samples));
    }
    const bytes = JSON.stringify(modelCallEntry(0).data).length;
    const per = `${rounds} rounds of ${perRound} single-entry appends of a ${bytes} B model.call entry`;
    return [
      figure('journal append p50, SQLite (WAL, synchronous=FULL)', 'ms', all, { note: `${per}; spread over all appends; ${REPORTED}` }),
      figure('journal append p99, SQLite', 'ms', p99s, { target: { op: '<', value: APPEND_P99_TARGET_MS }, note: `median of the ${rounds} rounds' p99s` }),
      figure('journal append max, SQLite', 'ms', maxes, { note: `each round's max; ${REPORTED}` }),
    ];
  } finally {
    await store.close();
  }
}

function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

// ---- 2 and 3. a 1,000-task run with and without its journal ---------------------------------------

/** 10 layers of 100; each task after the first layer depends on two tasks of the layer before. */
function layeredPlan(): PlanSpecInput {
  const width = TASKS / 10;
  const id = (layer: number, k: number) => `l${layer}_${k}`;
  const tasks = Array.from({ length: TASKS }, (_, i) => {
    const layer = Math.floor(i / width);
    const k = i % width;
    const dependsOn = layer === 0 ? [] : [id(layer - 1, k), id(layer - 1, (k * 7 + 3) % width)];
    return { id: id(layer, k), title: `Part ${id(layer, k)}`, instructions: `Work out part ${id(layer, k)} of the report.`, capabilities: [k % 2 ? 'research' : 'writing'], dependsOn: [...new Set(dependsOn)] };
  });
  return { goal: 'bench', tasks };
}



type Variant = 'plain' | 'sqlite' | 'memory';

/** One run; returns wall ms (store opening and closing not counted). */
async function timedRun(plan: PlanSpecInput, durable?: { store: RunStore; runId: string }): Promise<number> {
  const options = {
    model: modelFromProvider(scriptedModel({ replies: benchReplies('l0_0') })),
    agents: BENCH_AGENTS,
    builtinAgents: false,
    limits: { maxAgents: 1e9 },
    plan,
    maxDepth: 0,
    concurrency: CONCURRENCY,
    ...(durable ? { durable: durable.store, runId: durable.runId } : {}),
  };
  return timedOrchestrate(options, TASKS);
}

async function measureRuns(dir: string, rounds: number): Promise<Figure[]> {
  const plan = layeredPlan();
  const ms: Record<Variant, number[]> = { plain: [], sqlite: [], memory: [] };
  let size: { dbWal: number; dbOnly: number; entries: number; kinds: string } | undefined;
  await timedRun(plan); // warm the JIT
  await timedRun(plan, { store: memoryRunStore(), runId: 'warm' });
  for (let round = 0; round < rounds; round++) {
    const order: Variant[] = round % 2 === 0 ? ['plain', 'sqlite', 'memory'] : ['memory', 'sqlite', 'plain'];
    for (const variant of order) {
      const runId = `run_${variant}_${round}`;
      if (variant === 'plain') ms.plain.push(await timedRun(plan));
      else if (variant === 'memory') ms.memory.push(await timedRun(plan, { store: memoryRunStore(), runId }));
      else {
        const path = join(dir, `${runId}.db`); // a fresh database per run, so each size is one run's
        const store = await openSqliteRunStore(path);
        try {
          ms.sqlite.push(await timedRun(plan, { store, runId }));
          if (!size) {
            const journal = await store.journal(runId);
            const counts = new Map<string, number>();
            for (const e of journal) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
            size = { dbWal: fileSize(path) + fileSize(`${path}-wal`), dbOnly: 0, entries: journal.length, kinds: [...counts].map(([k, n]) => `${k} ${n}`).join(', ') };
          }
        } finally {
          await store.close();
        }
        if (size && size.dbOnly === 0) size.dbOnly = fileSize(path) + fileSize(`${path}-wal`);
      }
    }
  }
  const perTask = (durable: number[]) => pairedDifferences(durable, ms.plain).map((d) => (d * 1000) / TASKS);
  const orderNote = `${rounds} rounds, order alternating; ${REPORTED}`;
  const figures = [
    figure(`${TASKS_TEXT}-task run, not durable`, 'ms', ms.plain, { note: orderNote }),
    figure(`${TASKS_TEXT}-task run, durable on SQLite`, 'ms', ms.sqlite, { note: REPORTED }),
    figure(`${TASKS_TEXT}-task run, durable on the memory store`, 'ms', ms.memory, { note: REPORTED }),
    figure('added per task, durable on SQLite', 'µs', perTask(ms.sqlite), {
      note: `(durable − plain) / ${TASKS}, paired by round; from the medians: ${medianPerTask(ms.sqlite, ms.plain)} µs; ${REPORTED}`,
    }),
    figure('added per task, durable on the memory store (engine only)', 'µs', perTask(ms.memory), {
      note: `from the medians: ${medianPerTask(ms.memory, ms.plain)} µs; ${REPORTED}`,
    }),
  ];
  if (size) {
    figures.push(
      figure('SQLite store per task (db + wal after the run)', 'KiB', [size.dbWal / 1024 / TASKS], {
        note: `${(size.dbWal / 1024 / 1024).toFixed(2)} MiB in all; ${(size.dbOnly / 1024 / TASKS).toFixed(2)} KiB per task after close (checkpointed); ${REPORTED}`,
      }),
      figure('journal entries per task', '', [size.entries / TASKS], { note: `${size.entries} entries: ${size.kinds}; ${REPORTED}` }),
    );
  }
  return figures;
}

function medianPerTask(durable: number[], plain: number[]): string {
  return (((summarise(durable).median - summarise(plain).median) * 1000) / TASKS).toFixed(1);
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
