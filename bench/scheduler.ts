/**
 * Scheduler benchmark: overhead per task with a zero-latency executor (a plain `async` function, no
 * model), makespan efficiency with a 20 ms real-clock executor, and memory per pending task.
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
import type { TaskSpec, TaskTree } from '../src/plan/types.js';
import { runTaskTree, scheduleTaskTree } from '../src/run/scheduler/index.js';
import type { ScheduleOptions } from '../src/run/scheduler/index.js';
import { systemClock } from '../src/util/clock.js';
import { randomInt, seededRandom } from '../src/util/random.js';

interface Figure {
  readonly name: string;
  readonly value: string;
  readonly target?: string;
  readonly pass?: boolean;
}

/** Runs every measurement and prints a table; returns the figures for callers (e.g. `bench/run.ts`). */
export async function main(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const zeroLatency = async () => 0;
  const overheadTarget = 20;

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
      figures.push({
        name: `overhead ${shapeName}, ${variantName}`,
        value: `${micros.toFixed(2)} µs/task`,
        target: `< ${overheadTarget} µs`,
        pass: micros < overheadTarget,
      });
    }
  }
  {
    const listening = createEventBus({ clock: systemClock() });
    let seen = 0;
    listening.on(() => seen++);
    const micros = await medianMicrosPerTask(fanOutFanIn(10_000), zeroLatency, { concurrency: 64, events: listening });
    figures.push({ name: 'overhead (a) with one listener on the bus', value: `${micros.toFixed(2)} µs/task (${seen} events seen)` });
  }

  figures.push(await scriptedModelRun(fanOutFanIn(10_000)));
  figures.push(await makespanEfficiency(10_000, 64, 20, 3));
  figures.push(await memoryPerPendingTask(100_000));

  printTable(figures);
  return figures;
}

async function medianMicrosPerTask<O>(tree: TaskTree, execute: () => Promise<O>, options: ScheduleOptions): Promise<number> {
  const samples: number[] = [];
  for (let round = 0; round < 7; round++) {
    const start = performance.now();
    const result = await runTaskTree(tree, execute, options);
    const elapsed = performance.now() - start;
    if (result.status !== 'completed') throw new Error(`benchmark run ended ${result.status}`);
    if (round >= 2) samples.push((elapsed * 1000) / tree.tasks.length); // first rounds warm the JIT
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/**
 * End to end with the zero-latency scripted model behind `modelFromProvider` (pricing, call events,
 * tiktoken counting): what a task costs when it makes one model call. Not scheduler overhead alone.
 */
async function scriptedModelRun(tree: TaskTree): Promise<Figure> {
  const model = modelFromProvider(scriptedModel({ replies: () => 'ok' }));
  const micros = await medianMicrosPerTask(tree, async () => (await model.generate({ prompt: 'go' })).text, { concurrency: 64 });
  return { name: '(a) with one zero-latency scripted model call per task', value: `${micros.toFixed(2)} µs/task (model layer included)` };
}

/** Runs the 20 ms workload `rounds` times (wall clock, so shared CPUs add noise) and reports the median. */
async function makespanEfficiency(n: number, concurrency: number, latencyMs: number, rounds: number): Promise<Figure> {
  const clock = systemClock();
  const tree = independent(n);
  // The lower bound: full waves of `concurrency` tasks, or the critical path if that is longer.
  const lowerBound = Math.max(Math.ceil(n / concurrency), tree.analysis.criticalPathEffort) * latencyMs;
  const actuals: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    const result = await runTaskTree(tree, (_task, { signal }) => clock.sleep(latencyMs, signal), { concurrency, clock });
    actuals.push(performance.now() - start);
    if (result.status !== 'completed') throw new Error(`benchmark run ended ${result.status}`);
  }
  const efficiencies = actuals.map((actual) => lowerBound / actual).sort((a, b) => a - b);
  const median = efficiencies[Math.floor(rounds / 2)]!;
  const baseline = await bareWorkersEfficiency(n, concurrency, latencyMs, lowerBound);
  return {
    name: `makespan efficiency, ${n} independent x ${latencyMs} ms at concurrency ${concurrency}`,
    value:
      `${median.toFixed(4)} median of ${rounds} (${efficiencies.map((e) => e.toFixed(4)).join(', ')}; lower bound ${lowerBound} ms); ` +
      `same sleeps in ${concurrency} bare async loops, no scheduler: ${baseline.toFixed(4)}`,
    target: '>= 0.97',
    pass: median >= 0.97,
  };
}

/**
 * The ceiling a timer-based workload reaches on this machine right now: `concurrency` plain loops
 * awaiting the same sleeps. The gap between this and the scheduler's figure is the scheduler's share.
 */
async function bareWorkersEfficiency(n: number, concurrency: number, latencyMs: number, lowerBound: number): Promise<number> {
  const clock = systemClock();
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        await clock.sleep(latencyMs);
      }
    }),
  );
  return lowerBound / (performance.now() - start);
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

// ---- tree shapes -------------------------------------------------------------------------------

function spec(id: string, dependsOn: string[]): TaskSpec {
  return { id, title: id, instructions: id, capabilities: [], dependsOn, priority: 'medium', effort: 1, decomposable: false };
}

/** Builds the tree with `remainingPath` computed from the given topological order. */
function treeOf(tasks: TaskSpec[]): TaskTree {
  const remainingPath: Record<string, number> = {};
  const dependents = new Map<string, string[]>();
  for (const t of tasks) for (const d of t.dependsOn) (dependents.get(d) ?? dependents.set(d, []).get(d)!).push(t.id);
  for (let i = tasks.length - 1; i >= 0; i--) {
    const t = tasks[i]!;
    let longest = 0;
    for (const next of dependents.get(t.id) ?? []) longest = Math.max(longest, remainingPath[next]!);
    remainingPath[t.id] = t.effort + longest;
  }
  const criticalPathEffort = Math.max(...Object.values(remainingPath));
  return {
    goal: 'bench',
    tasks,
    droppedEdges: [],
    analysis: {
      layers: [],
      criticalPath: [],
      criticalPathEffort,
      totalEffort: tasks.length,
      parallelismProfile: [],
      maxParallelism: 0,
      remainingPath,
    },
  };
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
  const tasks: TaskSpec[] = [];
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
