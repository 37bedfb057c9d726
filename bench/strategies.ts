/**
 * Strategy benchmark: each coordination strategy against the simple thing it must beat, over 500
 * seeds of the seeded scenarios in `bench/strategy-scenarios.ts` (their exported pure rules, no model
 * calls). Prints each figure next to its baseline and target and whether the target is met; never
 * fails on a number. The tests in `test/strategies/` assert the direction of the same scenarios on a
 * few seeds.
 *
 *   npx tsx bench/strategies.ts            # 500 seeds
 *   npx tsx bench/strategies.ts --seeds 50 # quicker
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { seededRandom } from '../src/util/random.js';
import { logOddsWeight } from '../strategies/reputation.js';
import {
  antSystemRouter,
  colonyRun,
  consensusExactAccuracy,
  consensusPanel,
  expectedProfit,
  expectedProfitBefore,
  gainsByDeviating,
  marketRun,
  PANEL,
  randomBidder,
  seedRange,
  splitRun,
  stigmergyRouter,
  twoKindsRun,
  uniformRouter,
  type ColonyRun,
  type Router,
} from './strategy-scenarios.js';

/** One printed line: a figure, what it measured, what it is compared with, the target, whether it is met. */
export interface FigureRow {
  readonly figure: string;
  readonly measured: string;
  readonly baseline: string;
  readonly target: string;
  /** undefined: shown for comparison, no target. */
  readonly met: boolean | undefined;
}

export interface StrategyBench {
  readonly seeds: number;
  readonly sections: readonly { readonly title: string; readonly note: string; readonly rows: readonly FigureRow[] }[];
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
/** The p-th percentile, nearest rank. */
const pct = (xs: readonly number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))]!;
const f3 = (x: number) => x.toFixed(3);
const f2 = (x: number) => x.toFixed(2);
const meanP10 = (xs: readonly number[]) => `${f3(mean(xs))} (p10 ${f3(pct(xs, 10))})`;
/** Compared as printed: a figure that prints as its target meets it. */
const atLeast = (x: number, target: number) => Number(f3(x)) >= target;

function consensusSection(seeds: readonly number[]) {
  const majority2 = consensusExactAccuracy(2, () => PANEL.map(() => 1));
  const majority3 = consensusExactAccuracy(3, () => PANEL.map(() => 1));
  const logOdds3 = consensusExactAccuracy(3, () => PANEL.map((p) => logOddsWeight(p)));
  const optimum2 = consensusExactAccuracy(2, () => PANEL.map((p) => logOddsWeight(p)));
  const optimum3 = consensusExactAccuracy(3, () => PANEL.map((p) => logOddsWeight(p, 0.01, 3)));
  const run = (choices: number, learning: 'none' | 'outcomes' | 'agreement', declaredChoices?: number) =>
    seeds.map((s) => consensusPanel(s, { rounds: 200, choices, learning, ...(declaredChoices ? { declaredChoices } : {}) }));
  const none = run(2, 'none');
  const outcomes = run(2, 'outcomes');
  const agreement = run(2, 'agreement');
  const outcomes3 = run(3, 'outcomes', 3);
  const outcomes3Seen = run(3, 'outcomes');
  const exact = (runs: readonly { exact: number }[]) => runs.map((r) => r.exact);
  const base2 = `majority ${f3(majority2)}, best voter ${f3(PANEL[0])}`;
  return {
    title: `consensus: panel [${PANEL.join(', ')}], 200 rounds`,
    note: 'accuracy of the rule with the weights it ends with, exact over every pattern of answers; "as played" counts the 200 rounds',
    rows: [
      {
        figure: 'yes/no, no ground truth (default settings)',
        measured: meanP10(exact(none)),
        baseline: base2,
        target: 'mean >= 0.844, p10 >= 0.82',
        met: atLeast(mean(exact(none)), 0.844) && atLeast(pct(exact(none), 10), 0.82),
      },
      {
        figure: 'yes/no, outcomes reported (recordOutcome)',
        measured: meanP10(exact(outcomes)),
        baseline: base2,
        target: 'mean >= 0.87',
        met: atLeast(mean(exact(outcomes)), 0.87),
      },
      {
        figure: '  as played, outcomes reported',
        measured: meanP10(outcomes.map((r) => r.played)),
        baseline: `majority as played ${meanP10(none.map((r) => r.played))}`,
        target: '-',
        met: undefined,
      },
      { figure: '  before: learned from agreement', measured: meanP10(exact(agreement)), baseline: base2, target: '(the old default)', met: undefined },
      { figure: '  true accuracies, log-odds weights', measured: f3(optimum2), baseline: base2, target: '(the optimum)', met: undefined },
      {
        figure: '3 options, outcomes reported, choices: 3',
        measured: meanP10(exact(outcomes3)),
        baseline: `majority ${f3(majority3)}, ln(p/(1-p)) ${f3(logOdds3)}`,
        target: 'mean >= 0.92',
        met: atLeast(mean(exact(outcomes3)), 0.92),
      },
      {
        figure: '3 options, true accuracies, ln(2p/(1-p))',
        measured: f3(optimum3),
        baseline: `majority ${f3(majority3)}, ln(p/(1-p)) ${f3(logOdds3)}`,
        target: '>= 0.92',
        met: atLeast(optimum3, 0.92),
      },
      {
        figure: '  3 options, outcomes, choices by default',
        measured: meanP10(exact(outcomes3Seen)),
        baseline: `majority ${f3(majority3)}`,
        target: '(choices = answers seen)',
        met: undefined,
      },
    ],
  };
}

function stigmergySection(seeds: readonly number[]) {
  const runs = (router: () => Router) => seeds.map((s) => colonyRun(s, router));
  const colony = runs(() => stigmergyRouter());
  const plain = runs(() => antSystemRouter(false));
  const maxMin = runs(() => antSystemRouter(true));
  const uniform = seeds.map((s) => colonyRun(s, () => uniformRouter(), { shift: false }));
  const share = (rs: readonly ColonyRun[]) => rs.map((r) => r.bestShareLast100);
  const shifts = (rs: readonly ColonyRun[]) => rs.filter((r) => r.shift !== undefined).map((r) => r.shift!);
  const median = (rs: readonly ColonyRun[]) => (shifts(rs).length > 0 ? `${pct(shifts(rs), 50)}` : 'n/a');
  const twoKinds = seeds.map(twoKindsRun);
  return {
    title: 'stigmergy: agents succeeding 0.9 / 0.7 / 0.5, 300 tasks of one kind',
    note: 'share of tasks 201-300 routed to the best agent; then it degrades to 0.3: tasks until the new best has pick probability > 0.5 (seeds that had settled on the best; 200 = never)',
    rows: [
      {
        figure: "best agent's share of the last 100",
        measured: meanP10(share(colony)),
        baseline: `plain ant system ${meanP10(share(plain))}, old max-min ${meanP10(share(maxMin))}, uniform ${f3(mean(share(uniform)))}`,
        target: 'mean >= 0.90, p10 >= 0.75',
        met: atLeast(mean(share(colony)), 0.9) && atLeast(pct(share(colony), 10), 0.75),
      },
      {
        figure: 'shift after the best degrades, median',
        measured: `${median(colony)} tasks (p90 ${pct(shifts(colony), 90)})`,
        baseline: `plain ant system ${median(plain)}, old max-min ${median(maxMin)}`,
        target: 'median <= 30',
        met: shifts(colony).length > 0 && pct(shifts(colony), 50) <= 30,
      },
      {
        figure: '  seeds settled on the best by task 300',
        measured: `${colony.filter((r) => r.settled).length} of ${seeds.length}`,
        baseline: `plain ant system ${plain.filter((r) => r.settled).length}, old max-min ${maxMin.filter((r) => r.settled).length}`,
        target: '-',
        met: undefined,
      },
      {
        figure: "  two kinds: specialist's share, last 100",
        measured: `code ${f3(mean(twoKinds.map((r) => r.code)))}, writing ${f3(mean(twoKinds.map((r) => r.writing)))}`,
        baseline: 'uniform 0.333',
        target: '-',
        met: undefined,
      },
    ],
  };
}

function auctionSection(seeds: readonly number[]) {
  const truthful = seeds.map((s) => marketRun(s, 'auction', 'true'));
  const blind = seeds.map((s) => marketRun(s, 'auction', 'none'));
  const lowest = seeds.map((s) => marketRun(s, 'lowest-bid'));
  const success = (rs: readonly { successLast100: number }[]) => rs.map((r) => r.successLast100);
  const cost = (rs: readonly { costPerSuccess: number }[]) => rs.map((r) => r.costPerSuccess);
  const deviationRows: FigureRow[] = [];
  for (const payment of ['performance', 'fixed'] as const) {
    const random = seededRandom(payment === 'performance' ? 101 : 202);
    const bidders = Array.from({ length: 2 * seeds.length }, (_, i) => randomBidder(random, { payment, reputation: i % 2 === 0 }));
    const after = bidders.filter((b) => gainsByDeviating(b, expectedProfit)).length;
    const before = bidders.filter((b) => gainsByDeviating(b, expectedProfitBefore)).length;
    deviationRows.push({
      figure: `bidders gaining by a lie, ${payment} pay`,
      measured: `${after} of ${bidders.length}`,
      baseline: `rule before: ${before} (${((100 * before) / bidders.length).toFixed(0)} %)`,
      target: '0',
      met: after === 0,
    });
  }
  return {
    title: 'auction: agents succeeding 0.3 / 0.6 / 0.9 asking 0.8 / 0.9 / 1.0 (+-10 %), 300 tasks',
    note: 'performance pay and reputation weights (the defaults); lowest bid: the cheapest ask takes the task and is paid its ask. Lies: 70 deviations (cost and confidence) per random bidder, half with reputation weights',
    rows: [
      {
        figure: 'success rate, last 100 tasks',
        measured: meanP10(success(truthful)),
        baseline: `lowest bid ${meanP10(success(lowest))}`,
        target: 'above lowest bid',
        met: mean(success(truthful)) > mean(success(lowest)),
      },
      {
        figure: 'paid per successful task',
        measured: f3(mean(cost(truthful))),
        baseline: `lowest bid ${f3(mean(cost(lowest)))}`,
        target: 'below lowest bid',
        met: mean(cost(truthful)) < mean(cost(lowest)),
      },
      {
        figure: '  no stated confidence: best agent share',
        measured: meanP10(blind.map((r) => r.bestShareLast100)),
        baseline: `success ${f3(mean(success(blind)))}, paid/success ${f3(mean(cost(blind)))}`,
        target: '-',
        met: undefined,
      },
      ...deviationRows,
    ],
  };
}

function hierarchicalSection(seeds: readonly number[]) {
  const runs = seeds.map(splitRun);
  const lpt = runs.map((r) => r.lpt);
  const rr = runs.map((r) => r.roundRobin);
  return {
    title: "hierarchical: a leader's 6-16 subtasks of effort 1-10 over 4 workers",
    note: 'makespan (most effort on one worker) over the lower bound max(total / 4, largest subtask)',
    rows: [
      {
        figure: 'makespan / lower bound, LPT (balance)',
        measured: `${f3(mean(lpt))} (p90 ${f3(pct(lpt, 90))}, worst ${f3(Math.max(...lpt))})`,
        baseline: `round-robin ${f3(mean(rr))} (p90 ${f3(pct(rr, 90))}, worst ${f3(Math.max(...rr))})`,
        target: 'mean below round-robin',
        met: mean(lpt) < mean(rr),
      },
      {
        figure: '  seeds where LPT finishes no later',
        measured: `${runs.filter((r) => r.lpt <= r.roundRobin + 1e-12).length} of ${runs.length}`,
        baseline: 'round-robin',
        target: '-',
        met: undefined,
      },
    ],
  };
}

/** Runs every section over `seeds` seeds (default 500). */
export function benchStrategies(seedCount = 500): StrategyBench {
  const seeds = seedRange(seedCount);
  return { seeds: seedCount, sections: [consensusSection(seeds), stigmergySection(seeds), auctionSection(seeds), hierarchicalSection(seeds)] };
}

function print(bench: StrategyBench): void {
  const header: FigureRow = { figure: 'figure', measured: 'measured', baseline: 'baseline', target: 'target', met: undefined };
  const all = bench.sections.flatMap((s) => s.rows);
  const width = (key: keyof Omit<FigureRow, 'met'>) => Math.max(header[key].length, ...all.map((r) => r[key].length));
  const line = (r: FigureRow, met: string) =>
    `  ${r.figure.padEnd(width('figure'))}  ${r.measured.padEnd(width('measured'))}  ${r.target.padEnd(width('target'))}  ${met.padEnd(7)}  ${r.baseline}`;
  for (const section of bench.sections) {
    console.log(`\n${section.title} (${bench.seeds} seeds)\n  ${section.note}`);
    console.log(line(header, 'met'));
    for (const row of section.rows) console.log(line(row, row.met === undefined ? '' : row.met ? 'yes' : 'NOT MET'));
  }
}

export async function main(): Promise<StrategyBench> {
  const flag = process.argv.indexOf('--seeds');
  const seeds = flag >= 0 ? Number(process.argv[flag + 1]) : 500;
  const start = performance.now();
  const bench = benchStrategies(seeds);
  print(bench);
  const rows = bench.sections.flatMap((s) => s.rows).filter((r) => r.met !== undefined);
  console.log(`\n  ${rows.filter((r) => r.met).length} of ${rows.length} targets met; seeded, ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return bench;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
