import type { CaseResult } from './case-result.js';
import type { EvalReport } from './report.js';

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const usd = (x: number) => `$${x.toFixed(4)}`;
const ms = (x: number) => (x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(2)} s`);
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

/**
 * The report as markdown: a verdict line, strategies side by side, a case × strategy grid when the
 * cases ran under more than one strategy, then every case with its checks.
 */
export function reportMarkdown(report: EvalReport): string {
  const lines = [
    `# Eval: ${report.suite}`,
    '',
    `**${report.ok ? 'PASS' : 'FAIL'}** — ${report.passed}/${report.cases} passed (${pct(report.passRate)}), threshold ${pct(report.threshold)}; ` +
      `${int(report.tokens)} tokens, ${usd(report.costUsd)} (judge ${usd(report.judgeCostUsd)}).`,
    '',
    '## By strategy',
    '',
    '| strategy | passed | pass rate | tokens | cost | mean latency | max latency |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.strategies.map(
      (s) =>
        `| ${s.strategy} | ${s.passed}/${s.cases} | ${pct(s.passRate)} | ${int(s.tokens)} | ${usd(s.costUsd)} | ${ms(s.meanLatencyMs)} | ${ms(s.maxLatencyMs)} |`,
    ),
    '',
    ...sideBySide(report.results),
    '## Cases',
    '',
    '| case | strategy | result | tokens | cost | latency | replies | checks |',
    '| --- | --- | --- | ---: | ---: | ---: | --- | --- |',
    ...report.results.map((r) => {
      const checks = r.error
        ? `error: ${r.error.message}`
        : r.checks.map((c) => `${c.pass ? '✓' : '✗'} ${c.name}${c.pass ? '' : ` (${c.message})`}`).join('<br>');
      return `| ${cell(r.case)} | ${r.strategy} | ${r.pass ? 'pass' : '**fail**'} | ${int(r.tokens)} | ${usd(r.costUsd)} | ${ms(r.latencyMs)} | ${r.provenance ?? '—'} | ${cell(checks)} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

/** One row per goal case, one column per strategy: the same case under each strategy, compared. */
function sideBySide(results: readonly CaseResult[]): string[] {
  const coordinated = results.filter((r) => r.strategy !== 'task');
  const strategies = [...new Set(coordinated.map((r) => r.strategy))];
  if (strategies.length < 2) return [];
  const cases = [...new Set(coordinated.map((r) => r.case))];
  const at = (name: string, strategy: string) => coordinated.find((r) => r.case === name && r.strategy === strategy);
  return [
    '## Case × strategy',
    '',
    `| case | ${strategies.join(' | ')} |`,
    `| --- |${' --- |'.repeat(strategies.length)}`,
    ...cases.map((name) => {
      const cells = strategies.map((strategy) => {
        const r = at(name, strategy);
        return r ? `${r.pass ? '✓' : '✗'} ${int(r.tokens)} tok · ${usd(r.costUsd)} · ${ms(r.latencyMs)}` : '—';
      });
      return `| ${cell(name)} | ${cells.join(' | ')} |`;
    }),
    '',
  ];
}
