import type { EvalReport } from './report.js';

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const usd = (x: number) => `$${x.toFixed(4)}`;
const ms = (x: number) => (x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(2)} s`);
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

/** The report as markdown: a verdict line, strategies side by side, then every case with its checks. */
export function reportMarkdown(report: EvalReport): string {
  const lines = [
    `# Eval: ${report.suite}`,
    '',
    `**${report.ok ? 'PASS' : 'FAIL'}** — ${report.passed}/${report.cases} passed (${pct(report.passRate)}), threshold ${pct(report.threshold)}; ` +
      `${report.tokens} tokens, ${usd(report.costUsd)} (judge ${usd(report.judgeCostUsd)}).`,
    '',
    '## By strategy',
    '',
    '| strategy | passed | pass rate | tokens | cost | mean latency | max latency |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.strategies.map(
      (s) => `| ${s.strategy} | ${s.passed}/${s.cases} | ${pct(s.passRate)} | ${s.tokens} | ${usd(s.costUsd)} | ${ms(s.meanLatencyMs)} | ${ms(s.maxLatencyMs)} |`,
    ),
    '',
    '## Cases',
    '',
    '| case | strategy | result | tokens | cost | latency | replies | checks |',
    '| --- | --- | --- | ---: | ---: | ---: | --- | --- |',
    ...report.results.map((r) => {
      const checks = r.error
        ? `error: ${r.error.message}`
        : r.checks.map((c) => `${c.pass ? '✓' : '✗'} ${c.name}${c.pass ? '' : ` (${c.message})`}`).join('<br>');
      return `| ${cell(r.case)} | ${r.strategy} | ${r.pass ? 'pass' : '**fail**'} | ${r.tokens} | ${usd(r.costUsd)} | ${ms(r.latencyMs)} | ${r.provenance ?? '—'} | ${cell(checks)} |`;
    }),
    '',
  ];
  return lines.join('\n');
}
