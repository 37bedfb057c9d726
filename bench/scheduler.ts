/**
 * Scheduler benchmark: overhead per task with a zero-latency executor (a plain `async` function) and
 * with a zero-latency scripted model, makespan efficiency with a 20 ms scripted model (on a manual
 * clock: the scheduling itself; on the wall clock: what timers allow), and memory per pending task.
 *
 *   npx tsx bench/scheduler.ts
 *
 * Targets: overhead < 20 µs per task, efficiency >= 0.97, < 4 KB per pending task.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createEventBus } from '../src/events/bus.js';
import { modelFromProvider } from '../src/model/model.js';
import { scriptedModel } from '../src/model/scripted.js';
import { buildTaskTree } from '../src/plan/tree.js';
import type { TaskSpecInput, TaskTree } from '../src/plan/types.js';
import { runTaskTree, scheduleTaskTree } from '../src/scheduler/index.js';
import type { ScheduleOptions } from '../src/scheduler/index.js';
import { manualClock, systemClock, type ManualClock } from '../src/util/clock.js';
import { randomInt, seededRandom } from '../src/util/random.js';

interface Figure {
  readonly name: string;
  readonly value: string;
  readonly target?: string;
  readonly pass?: boolean;
}

const OVERHEAD_TARGET_MICROS = 20;
const EFFICIENCY_TARGET = 0.97;

/** Runs every measurement and prints a table; returns the figures for callers (e.g. `bench/run.ts`). */
export async function main(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const zeroLatency = async () => 0;

  const shapes: [string, TaskTree][] = [
    ['(a) fan-out/fan-in, 10,000 tasks', fanOutFanIn(10_000)],
    ['(b) chain, 1,000 steps', chain(1_000)],
    ['(c) 10 layers x 100, 3 random deps each', layered(10, 100, 3, 42)],
  ];
  const bus = createEventBus({ clock: systemClock() });
  const variants: [string, ScheduleOptions][] = [
    ['no event bus', { concurrency: 64 }],
    ['bus, no listener', { concurrency: 64, events: bus }],
  ];
  for (const [shapeName, tree] of shapes) {
    for (const [variantName, options] of variants) {
      const micros = await medianMicrosPerTask(tree, zeroLatency, options);
      figures.push(overheadFigure(`overhead ${shapeName}, ${variantName}`, micros));
    }
  }
  {
    const listening = createEventBus({ clock: systemClock() });
    let seen = 0;
    listening.on(() => seen++);
    const micros = await medianMicrosPerTask(fanOutFanIn(10_000), zeroLatency, { concurrency: 64, events: listening });
    figures.push({ name: 'overhead (a) with one listener on the bus', value: `${micros.toFixed(2)} µs/task (${seen} events seen)` });
  }
  for (const [shapeName, tree] of shapes) figures.push(await scriptedModelOverhead(shapeName, tree));

  figures.push(await virtualMakespan('10,000 independent', independent(10_000)));
  figures.push(await virtualMakespan('10 layers x 1,000, 3 random deps', layered(10, 1_000, 3, 7)));
  figures.push(await wallClockMakespan(10_000, 64, 20, 3));
  figures.push(await memoryPerPendingTask(100_000));

  printTable(figures);
  return figures;
}

function overheadFigure(name: string, micros: number, detail = ''): Figure {
  return { name, value: `${micros.toFixed(2)} µs/task${detail}`, target: `< ${OVERHEAD_TARGET_MICROS} µs`, pass: micros < OVERHEAD_TARGET_MICROS };
}

async function medianMicrosPerTask<O>(tree: TaskTree, execute: () => Promise<O>, options: ScheduleOptions): Promise<number> {
  return medianMicros(async () => {
    const result = await runTaskTree(tree, execute, options);
    if (result.status !== 'completed') throw new Error(`benchmark run ended ${result.status}`);
    return tree.tasks.length;
  });
}

/** Median µs per item of `round` (which returns its item count) over 5 rounds after 2 warm-up rounds. */
async function medianMicros(round: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const items = await round();
    const elapsed = performance.now() - start;
    if (i >= 2) samples.push((elapsed * 1000) / items); // first rounds warm the JIT
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/**
 * The zero-latency scripted model behind `modelFromProvider` (pricing, call events, token estimates),
 * one call per task: the time per task through the scheduler, minus the time per call of the same
 * calls made by 64 bare async loops, is the scheduler's share.
 */
async function scriptedModelOverhead(shapeName: string, tree: TaskTree): Promise<Figure> {
  const model = modelFromProvider(scriptedModel({ replies: () => 'ok' }));
  const call = async () => (await model.generate({ prompt: 'go' })).text;
  const scheduled = await medianMicrosPerTask(tree, call, { concurrency: 64 });
  const bare = await medianMicros(async () => {
    await bareLoops(tree.tasks.length, 64, call);
    return tree.tasks.length;
  });
  return overheadFigure(
    `overhead ${shapeName}, scripted model call per task`,
    scheduled - bare,
    ` (${scheduled.toFixed(2)} with the model, ${bare.toFixed(2)} for the calls alone)`,
  );
}

/**
 * Makespan efficiency of the scheduling itself: a 20 ms scripted model on a manual clock, so the
 * makespan is exact virtual time. Lower bound: full waves of 64 tasks, or the critical path if longer.
 */
async function virtualMakespan(shapeName: string, tree: TaskTree, concurrency = 64, latencyMs = 20): Promise<Figure> {
  const clock = manualClock();
  const model = modelFromProvider(scriptedModel({ replies: () => 'ok', latencyMs, clock }), { clock });
  const pending = runTaskTree(tree, async (_task, { signal }) => (await model.generate({ prompt: 'go', signal })).text, { concurrency, clock });
  const result = await settleOnManualClock(clock, pending);
  if (result.status !== 'completed') throw new Error(`benchmark run ended ${result.status}`);
  const bound = lowerBound(tree, concurrency, latencyMs);
  const efficiency = bound / (result.endedAt - result.startedAt);
  return {
    name: `makespan efficiency, ${shapeName} x ${latencyMs} ms scripted model, concurrency ${concurrency}, manual clock`,
    value: `${efficiency.toFixed(4)} (makespan ${result.endedAt - result.startedAt} ms, lower bound ${bound} ms)`,
    target: `>= ${EFFICIENCY_TARGET}`,
    pass: efficiency >= EFFICIENCY_TARGET,
  };
}

/**
 * The same 20 ms scripted model on the system clock, median of `rounds`. Timers fire late by a
 * millisecond or more on a busy machine, so this also reports 64 bare async loops making the same
 * calls: the ceiling timers allow here, with no scheduler at all.
 */
async function wallClockMakespan(n: number, concurrency: number, latencyMs: number, rounds: number): Promise<Figure> {
  const clock = systemClock();
  const tree = independent(n);
  const model = modelFromProvider(scriptedModel({ replies: () => 'ok', latencyMs, clock }), { clock });
  const call = async (signal?: AbortSignal) => (await model.generate({ prompt: 'go', ...(signal ? { signal } : {}) })).text;
  const bound = lowerBound(tree, concurrency, latencyMs);
  const efficiencies: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    const result = await runTaskTree(tree, (_task, { signal }) => call(signal), { concurrency, clock });
    efficiencies.push(bound / (performance.now() - start));
    if (result.status !== 'completed') throw new Error(`benchmark run ended ${result.status}`);
  }
  efficiencies.sort((a, b) => a - b);
  const median = efficiencies[Math.floor(rounds / 2)]!;
  const start = performance.now();
  await bareLoops(n, concurrency, () => call());
  const ceiling = bound / (performance.now() - start);
  return {
    name: `makespan efficiency, ${n} independent x ${latencyMs} ms scripted model, concurrency ${concurrency}, wall clock`,
    value:
      `${median.toFixed(4)} median of ${rounds} (${efficiencies.map((e) => e.toFixed(4)).join(', ')}; lower bound ${bound} ms); ` +
      `${concurrency} bare async loops, no scheduler: ${ceiling.toFixed(4)}`,
    target: `>= ${EFFICIENCY_TARGET}`,
    pass: median >= EFFICIENCY_TARGET,
  };
}

function lowerBound(tree: TaskTree, concurrency: number, latencyMs: number): number {
  return Math.max(Math.ceil(tree.analysis.totalEffort / concurrency), tree.analysis.criticalPathEffort) * latencyMs;
}

/** `workers` async loops taking `n` jobs between them: the same work and concurrency, no scheduler. */
async function bareLoops(n: number, workers: number, job: () => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < n) {
        next++;
        await job();
      }
    }),
  );
}

/** Lets every promise chain settle before each clock step, so no task starts later than it could. */
async function settleOnManualClock<T>(clock: ManualClock, pending: Promise<T>): Promise<T> {
  let settled = false;
  void pending.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!(await clock.runNext()) && !settled) await new Promise((resolve) => setImmediate(resolve));
  }
  return pending;
}

async function memoryPerPendingTask(n: number): Promise<Figure> {
  const gc = exposeGc();
  const tree = independent(n);
  const never = new Promise<never>(() => {});
  // Typed-array storage lives outside the JS heap, so count `arrayBuffers` too.
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  gc?.();
  const before = used();
  const handle = scheduleTaskTree(tree, () => never, { concurrency: 1 });
  await Promise.resolve(); // let the first (and only) dispatch happen
  gc?.();
  const after = used();
  handle.cancel('benchmark done');
  const result = await handle.result;
  if (result.counts['not-run'] !== n - 1) throw new Error('expected every task but one to be pending');
  const bytes = (after - before) / n;
  return {
    name: `memory per pending task (${n} tasks queued; heap + array buffers)${gc ? '' : ' [no gc available: noisy]'}`,
    value: `${bytes.toFixed(0)} bytes`,
    target: '< 4096 bytes',
    pass: bytes < 4096,
  };
}

/** `global.gc`, exposing it at run time when node was started without `--expose-gc`. */
function exposeGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

function printTable(figures: readonly Figure[]): void {
  const width = Math.max(...figures.map((f) => f.name.length));
  console.log(`scheduler benchmark (node ${process.version}, zero-latency executor = plain async function)`);
  for (const f of figures) {
    const verdict = f.pass === undefined ? '' : f.pass ? '  ok' : '  MISS';
    console.log(`${f.name.padEnd(width)}  ${f.value}${f.target ? `  [target ${f.target}]` : ''}${verdict}`);
  }
}

// ---- tree shapes (built by the planner's own validation, reduction and analysis) -----------------

function spec(id: string, dependsOn: string[]): TaskSpecInput {
  return { id, title: id, instructions: id, dependsOn };
}

function treeOf(tasks: TaskSpecInput[]): TaskTree {
  return buildTaskTree({ goal: 'bench', tasks });
}

function fanOutFanIn(n: number): TaskTree {
  const middle = Array.from({ length: n - 2 }, (_, i) => spec(`m${i}`, ['root']));
  return treeOf([spec('root', []), ...middle, spec('sink', middle.map((t) => t.id))]);
}

function chain(n: number): TaskTree {
  return treeOf(Array.from({ length: n }, (_, i) => spec(`s${i}`, i === 0 ? [] : [`s${i - 1}`])));
}

function layered(layers: number, width: number, deps: number, seed: number): TaskTree {
  const random = seededRandom(seed);
  const tasks: TaskSpecInput[] = [];
  for (let l = 0; l < layers; l++) {
    for (let w = 0; w < width; w++) {
      const picked = new Set<string>();
      while (l > 0 && picked.size < deps) picked.add(`l${l - 1}_${randomInt(random, width)}`);
      tasks.push(spec(`l${l}_${w}`, [...picked]));
    }
  }
  return treeOf(tasks);
}

function independent(n: number): TaskTree {
  return treeOf(Array.from({ length: n }, (_, i) => spec(`t${i}`, [])));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
