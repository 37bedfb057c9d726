import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { modelFromEnvironment, resolveModelSource, type ModelSource } from '../../eval/model-source.js';
import { reportMarkdown } from '../../eval/markdown.js';
import { loadSuite } from '../../eval/load-suite.js';
import { withThreshold, type EvalReport } from '../../eval/report.js';
import type { CaseResult } from '../../eval/case-result.js';
import { ALL_STRATEGIES, runSuite } from '../../eval/runner.js';
import { booleanFlag, numberFlag, parseCommandArgs, requirePositionals, stringFlag, type FlagSpec } from '../args.js';
import { UsageError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { fit, formatInt, formatMs, formatUsd } from '../format.js';
import { println, type CliIo } from '../io.js';
import { METRICS_PORT_HELP, startCliMetrics } from '../metrics-port.js';
import { MODEL_FLAGS, MODEL_FLAGS_HELP, modelSourceOf } from '../model-flags.js';

export const EVAL_HELP = `Usage: taskforce eval [options] <suite>

Runs an eval suite (.yaml, .yml, .json, .mjs, .js) — each case a goal or a Task call, a model
or scripted replies, and checks — cases concurrently, then reports pass rate, tokens, cost and
latency per case and per strategy. Exits 1 when the pass rate is below the threshold.

Options:
  --strategy NAME     run every goal case under NAME; "all" runs each under every strategy
  --threshold X       pass rate (0..1) to reach; default the suite's, else 1.0
  --concurrency N     cases at once (default the suite's, else 4)
  --out FILE          write the report as JSON
  --markdown FILE     write the report as a markdown table
  --json              print only the report as JSON on stdout
${METRICS_PORT_HELP}
${MODEL_FLAGS_HELP}
                      (a model flag replaces the suite's models: run a scripted suite for real)
  -h, --help          show this help

TypeScript suites (.ts): plain node cannot import them; run the CLI under tsx, or ship .mjs.

Examples:
  taskforce eval evals/launch-plan.yaml
  taskforce eval evals/agents.mjs --strategy all --out report.json --markdown report.md`;

const FLAGS = {
  strategy: { type: 'string' },
  threshold: { type: 'string' },
  concurrency: { type: 'string' },
  out: { type: 'string' },
  markdown: { type: 'string' },
  json: { type: 'boolean' },
  'metrics-port': { type: 'string' },
  ...MODEL_FLAGS,
} as const satisfies FlagSpec;

/** `taskforce eval`. */
export async function evalCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, FLAGS, EVAL_HELP);
  if (parsed.help) return (println(io.stdout, EVAL_HELP), EXIT.OK);
  const [path] = requirePositionals(parsed, ['suite'], EVAL_HELP) as [string];
  const threshold = numberFlag(parsed, 'threshold', EVAL_HELP, { min: 0, max: 1 });
  const concurrency = numberFlag(parsed, 'concurrency', EVAL_HELP, { integer: true, min: 1 });
  const strategy = stringFlag(parsed, 'strategy');
  const json = booleanFlag(parsed, 'json');
  const metricsPort = numberFlag(parsed, 'metrics-port', EVAL_HELP, { integer: true, min: 0, max: 65535 });
  const flagged = ['model', 'scripted', 'cassette'].some((n) => stringFlag(parsed, n) !== undefined);
  const override = absolutePaths(flagged ? modelSourceOf(parsed, io.env, EVAL_HELP) : undefined, io.cwd);
  const envModel = modelFromEnvironment(io.env);

  const suite = await loadSuite(path, io.cwd);
  if (strategy !== undefined && strategy !== 'all' && !ALL_STRATEGIES.includes(strategy))
    throw new UsageError(`unknown strategy "${strategy}": use all, ${ALL_STRATEGIES.join(', ')}`, EVAL_HELP);
  // A model flag applies to every case: a bad spec or a missing key is a configuration error (exit 2),
  // not one failed case per case.
  if (override) await resolveModelSource(override, { env: io.env, baseDir: io.cwd });
  if (!json) println(io.stderr, `suite "${suite.spec.name}": ${suite.spec.cases.length} case(s)${strategy ? `, strategy ${strategy}` : ''}`);
  const onInterrupt = () => {
    if (!json) println(io.stderr, 'Ctrl-C: cancelling the cases in flight; the report of what ran follows (Ctrl-C again quits at once).');
  };
  io.interrupt.addEventListener('abort', onInterrupt, { once: true });
  let report0: EvalReport;
  const metrics = metricsPort !== undefined ? await startCliMetrics(io, metricsPort) : undefined;
  try {
    report0 = await runSuite(suite, {
      ...(metrics ? { onEvent: metrics.listener } : {}),
      env: io.env,
      clock: io.clock,
      signal: io.interrupt,
      ...(strategy !== undefined ? { strategy } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(override ? { model: override } : {}),
      ...(envModel !== undefined ? { fallbackModel: { kind: 'spec', spec: envModel } } : {}),
      ...(json ? {} : { onCase: (result: CaseResult) => println(io.stderr, caseLine(result)) }),
    });
  } finally {
    io.interrupt.removeEventListener('abort', onInterrupt);
    await metrics?.close();
  }
  const report = threshold !== undefined ? withThreshold(report0, threshold) : report0;
  const outPath = stringFlag(parsed, 'out');
  const mdPath = stringFlag(parsed, 'markdown');
  if (outPath !== undefined) await writeFile(resolve(io.cwd, outPath), `${JSON.stringify(report, null, 2)}\n`);
  if (mdPath !== undefined) await writeFile(resolve(io.cwd, mdPath), reportMarkdown(report));
  if (json) println(io.stdout, JSON.stringify(report, null, 2));
  else io.stdout.write(formatReport(report));
  if (io.interrupt.aborted) return EXIT.CANCELLED;
  return report.ok ? EXIT.OK : EXIT.FAILED;
}

/** Files named on the command line are relative to the working directory, not to the suite's folder. */
function absolutePaths(source: ModelSource | undefined, cwd: string): ModelSource | undefined {
  if (source?.kind === 'scripted' || source?.kind === 'cassette') return { ...source, path: resolve(cwd, source.path) };
  return source;
}

function caseLine(r: CaseResult): string {
  const failedChecks = r.checks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.message}`);
  const why = r.error ? ` — error: ${r.error.message}` : failedChecks.length > 0 ? ` — ${failedChecks.join('; ')}` : '';
  return `  ${r.pass ? 'PASS' : 'FAIL'} ${r.case} [${r.strategy}]${why}`;
}

/** The report as text: strategies side by side, then each case. */
export function formatReport(report: EvalReport): string {
  const lines = [
    '',
    `${fit('strategy', 14)} ${fit('passed', 8)} ${fit('rate', 6)} ${fit('tokens', 9)} ${fit('cost', 9)} mean latency`,
    ...report.strategies.map(
      (s) =>
        `${fit(s.strategy, 14)} ${fit(`${s.passed}/${s.cases}`, 8)} ${fit(`${Math.round(s.passRate * 100)}%`, 6)} ${fit(formatInt(s.tokens), 9)} ${fit(formatUsd(s.costUsd), 9)} ${formatMs(s.meanLatencyMs)}`,
    ),
    '',
    `${fit('case', 30)} ${fit('strategy', 14)} ${fit('result', 6)} ${fit('tokens', 9)} ${fit('cost', 9)} ${fit('latency', 8)} replies`,
    ...report.results.map(
      (r) =>
        `${fit(r.case, 30)} ${fit(r.strategy, 14)} ${fit(r.pass ? 'pass' : 'FAIL', 6)} ${fit(formatInt(r.tokens), 9)} ${fit(formatUsd(r.costUsd), 9)} ${fit(formatMs(r.latencyMs), 8)} ${r.provenance ?? '—'}`,
    ),
    '',
    `${report.ok ? 'PASS' : 'FAIL'}: ${report.passed}/${report.cases} passed (${Math.round(report.passRate * 100)}%), threshold ${Math.round(report.threshold * 100)}%` +
      ` — ${formatInt(report.tokens)} tokens, ${formatUsd(report.costUsd)}${report.judgeCostUsd > 0 ? ` (+ judge ${formatUsd(report.judgeCostUsd)})` : ''}`,
    '',
  ];
  return lines.join('\n');
}
