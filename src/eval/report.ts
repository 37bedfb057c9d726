import type { CaseResult } from './case-result.js';
import type { LoadedSuite } from './types.js';

/** Totals of a group of case results (one strategy, or the whole suite). */
export interface EvalSummary {
  readonly cases: number;
  readonly passed: number;
  /** passed / cases (0 when there are none). */
  readonly passRate: number;
  readonly tokens: number;
  readonly costUsd: number;
  readonly modelCalls: number;
  readonly meanLatencyMs: number;
  readonly maxLatencyMs: number;
}

/** What `taskforce eval` writes with `--out`: plain, versioned data. */
export interface EvalReport extends EvalSummary {
  readonly $schemaVersion: 1;
  readonly suite: string;
  readonly file: string;
  /** The pass rate the suite must reach. */
  readonly threshold: number;
  /** `passRate >= threshold`. */
  readonly ok: boolean;
  /** Cost of LLM-judge checks, apart from the runs. */
  readonly judgeCostUsd: number;
  /** Per strategy, in the order they first appear. */
  readonly strategies: readonly ({ readonly strategy: string } & EvalSummary)[];
  readonly results: readonly CaseResult[];
}

/** Sums results into a summary. */
export function summarize(results: readonly CaseResult[]): EvalSummary {
  const passed = results.filter((r) => r.pass).length;
  const latency = results.map((r) => r.latencyMs);
  return {
    cases: results.length,
    passed,
    passRate: results.length === 0 ? 0 : passed / results.length,
    tokens: results.reduce((n, r) => n + r.tokens, 0),
    costUsd: results.reduce((n, r) => n + r.costUsd, 0),
    modelCalls: results.reduce((n, r) => n + r.modelCalls, 0),
    meanLatencyMs: latency.length === 0 ? 0 : latency.reduce((a, b) => a + b, 0) / latency.length,
    maxLatencyMs: latency.length === 0 ? 0 : Math.max(...latency),
  };
}

/** The report of a suite run: totals, per-strategy summaries side by side, every case result. */
export function summarizeReport(suite: LoadedSuite, results: readonly CaseResult[], threshold = suite.spec.threshold ?? 1): EvalReport {
  const strategies = [...new Set(results.map((r) => r.strategy))];
  const total = summarize(results);
  return {
    $schemaVersion: 1,
    suite: suite.spec.name,
    file: suite.file,
    threshold,
    ok: total.passRate >= threshold,
    ...total,
    judgeCostUsd: results.reduce((n, r) => n + r.judgeCostUsd, 0),
    strategies: strategies.map((strategy) => ({ strategy, ...summarize(results.filter((r) => r.strategy === strategy)) })),
    results,
  };
}

/** The same report with another threshold (the CLI's `--threshold`). */
export function withThreshold(report: EvalReport, threshold: number): EvalReport {
  return { ...report, threshold, ok: report.passRate >= threshold };
}
