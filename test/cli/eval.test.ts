import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoClock } from '../support/auto-clock.js';
import { ROOT } from './cli-process.js';
import { runCli, startCli } from './run-cli.js';

// launch-plan.yaml replays the demo's replies, which wait 120 ms a call to show a live view: a
// clock that moves itself skips that wait.
const fast = () => ({ clock: autoClock() });

const FAILING_SUITE = `
name: half-failing
model:
  replies: ["Canberra"]
cases:
  - name: right
    task: { agent: researcher, prompt: "Capital of Australia?" }
    checks: [{ type: contains, value: Canberra }]
  - name: wrong
    task: { agent: researcher, prompt: "Capital of Australia?" }
    checks: [{ type: regex, pattern: "^Sydney$" }]
`;

describe('taskforce eval', () => {
  it.each(['evals/launch-plan.yaml', 'evals/agents.mjs'])('passes the shipped suite %s offline and exits 0', async (suite) => {
    const { code, stdout } = await runCli(['eval', suite], fast());
    expect(stdout).toMatch(/^PASS: (\d+)\/\1 passed \(100%\)/m);
    expect(code).toBe(0);
  });

  it('runs every case under every strategy with --strategy all and writes JSON and markdown reports', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskforce-eval-'));
    const out = join(dir, 'report.json');
    const md = join(dir, 'report.md');
    const { code } = await runCli(['eval', 'evals/launch-plan.yaml', '--strategy', 'all', '--out', out, '--markdown', md], fast());
    expect(code).toBe(0);
    const report = JSON.parse(await readFile(out, 'utf8'));
    expect(report.strategies.map((s: { strategy: string }) => s.strategy)).toEqual(['direct', 'auction', 'consensus', 'hierarchical', 'stigmergy']);
    expect(report.results).toHaveLength(10);
    for (const s of report.strategies) expect(s).toMatchObject({ cases: 2, passed: 2, passRate: 1 });
    expect(report.results.every((r: { tokens: number; provenance: string }) => r.tokens > 0 && r.provenance === 'scripted')).toBe(true);
    const markdown = await readFile(md, 'utf8');
    expect(markdown).toContain('| strategy | passed | pass rate | tokens | cost | mean latency | max latency |');
    expect(markdown).toMatch(/^\| consensus \| 2\/2 \| 100% \|/m);
    // Each case under every strategy, side by side in one row.
    expect(markdown).toContain('| case | direct | auction | consensus | hierarchical | stigmergy |');
    expect(markdown).toMatch(/^\| full-plan( \| ✓ [\d,]+ tok · \$0\.0000 · [\d.]+ m?s){5} \|$/m);
  });

  it('prints pass rate, tokens, cost and latency per strategy and per case, and the verdict', async () => {
    const { code, stdout } = await runCli(['eval', 'evals/launch-plan.yaml', '--strategy', 'auction'], fast());
    expect(code).toBe(0);
    expect(stdout).toMatch(/^strategy\s+passed\s+rate\s+tokens\s+cost\s+mean latency$/m);
    expect(stdout).toMatch(/^auction\s+2\/2\s+100%\s+[\d,]+\s+\$0\s+[\d.]+m?s$/m);
    expect(stdout).toMatch(/^full-plan\s+auction\s+pass\s+[\d,]+\s+\$0\s+[\d.]+m?s\s+scripted$/m);
    expect(stdout).toMatch(/^no-recursion\s+auction\s+pass/m);
  });

  it('exits 1 when a case fails, and names the failed check', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskforce-eval-'));
    const suite = join(dir, 'failing.yaml');
    await writeFile(suite, FAILING_SUITE);
    const { code, stdout, stderr } = await runCli(['eval', suite]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/FAIL wrong \[task\] — regex \/\^Sydney\$\/: no match/);
    expect(stdout).toMatch(/^FAIL: 1\/2 passed \(50%\), threshold 100%/m);
  });

  it('passes the same suite with --threshold 0.5, and reports JSON only with --json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskforce-eval-'));
    const suite = join(dir, 'failing.yaml');
    await writeFile(suite, FAILING_SUITE);
    const { code, stdout, stderr } = await runCli(['eval', suite, '--threshold', '0.5', '--json'], { cwd: ROOT });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, passRate: 0.5, threshold: 0.5 });
  });

  it('exits 2 naming the field and line of an invalid suite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskforce-eval-'));
    const suite = join(dir, 'bad.yaml');
    await writeFile(suite, 'name: bad\ncases:\n  - name: c\n    goal: g\n    checks:\n      - type: regex\n        patern: x\n');
    const { code, stderr } = await runCli(['eval', suite]);
    expect(code).toBe(2);
    expect(stderr).toContain('EVAL_SUITE_INVALID');
    expect(stderr).toMatch(/cases\[0\]\.checks\[0\]/);
    expect(stderr).toMatch(/line \d+/);
  });

  it('reads a --scripted file relative to the working directory, not to the suite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskforce-eval-'));
    await mkdir(join(dir, 'suites'));
    await writeFile(join(dir, 'suites', 'failing.yaml'), FAILING_SUITE);
    await writeFile(join(dir, 'sydney.json'), JSON.stringify(['Sydney', 'Sydney']));
    const { code, stdout } = await runCli(['eval', 'suites/failing.yaml', '--scripted', 'sydney.json', '--json'], { cwd: dir });
    const report = JSON.parse(stdout);
    expect(report.results.map((r: { case: string; pass: boolean }) => [r.case, r.pass])).toEqual([
      ['right', false],
      ['wrong', true],
    ]);
    expect(code).toBe(1);
  });

  it('exits 2 before running any case when the --model it is given cannot be used', async () => {
    const { code, stderr } = await runCli(['eval', 'evals/agents.mjs', '--model', 'anthropic:claude-haiku-4-5']);
    expect(code).toBe(2);
    expect(stderr).toContain('ANTHROPIC_API_KEY');
    expect(stderr).not.toMatch(/PASS|FAIL/);
  });

  it('exits 2 on an unknown --strategy', async () => {
    const { code, stderr } = await runCli(['eval', 'evals/launch-plan.yaml', '--strategy', 'democracy']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown strategy "democracy": use all, direct,');
  });

  it('stops on Ctrl-C, prints the report of what ran and exits 130', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskforce-eval-'));
    const suite = join(dir, 'held.mjs');
    // The reply waits ten minutes: only the interrupt can end the case.
    await writeFile(
      suite,
      "export default { name: 'held', cases: [{ name: 'waits', task: { agent: 'writer', prompt: 'hi' }, model: { replies: ['x'], latencyMs: 600000 }, checks: [{ type: 'contains', value: 'x' }] }] };\n",
    );
    const cli = startCli(['eval', suite]);
    await cli.waitFor(/suite "held": 1 case\(s\)/);
    cli.interrupt();
    const { code, stdout, stderr } = await cli.done;
    expect(code).toBe(130);
    expect(stderr).toContain('Ctrl-C: cancelling the cases in flight');
    expect(stdout).toMatch(/^waits\s+task\s+FAIL/m);
    expect(stdout).toMatch(/^FAIL: 0\/1 passed/m);
  });
});
