import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSuite } from '../../src/eval/load-suite.js';
import { reportMarkdown } from '../../src/eval/markdown.js';
import { runSuite } from '../../src/eval/runner.js';
import type { LoadedSuite, SuiteSpec } from '../../src/eval/types.js';
import type { ProviderRequest } from '../../src/model/types.js';
import { createTaskforce } from '../../src/api/create-taskforce.js';
import { manualClock } from '../../src/util/clock.js';

const inMemory = (spec: SuiteSpec, baseDir = process.cwd()): LoadedSuite => ({ spec, file: 'in-memory', baseDir });

const PLAN = JSON.stringify({
  tasks: [{ id: 'answer', title: 'Answer', instructions: 'Answer the question.', capabilities: [], dependsOn: [], effort: 1 }],
});

/** Planner, agent and synthesizer replies for a one-task goal. */
function goalReplies(answer: string) {
  return (request: ProviderRequest) => {
    const text = request.messages.map((m) => String(m.content)).join('\n');
    if (text.includes('You are the planner')) return PLAN;
    if (text.includes('You are the synthesizer')) return `${answer} [answer]`;
    return answer;
  };
}

describe('runSuite', () => {
  it('runs a TypeScript suite loaded by vitest and passes its zod and custom checks', async () => {
    const report = await runSuite(await loadSuite('test/eval/fixtures/typed-suite.ts'));
    expect(report.results.map((r) => [r.case, r.pass, r.checks.map((c) => c.pass)])).toEqual([['first-primes', true, [true, true]]]);
    expect(report.ok).toBe(true);
    expect(report.results[0]).toMatchObject({ strategy: 'task', provenance: 'scripted', modelCalls: 1 });
    expect(report.results[0]!.tokens).toBeGreaterThan(0);
  });

  it('runs goal cases under every strategy with "all" and summarises each side by side', async () => {
    const report = await runSuite(
      inMemory({
        name: 'goal',
        model: { replies: goalReplies('42') },
        strategies: ['direct', 'stigmergy'],
        cases: [
          { name: 'answer', goal: 'What is six times seven?', checks: [{ type: 'contains', value: '42' }] },
          { name: 'wrong', goal: 'What is six times seven?', checks: [{ type: 'regex', pattern: '^41' }] },
        ],
      }),
      { strategy: 'all' },
    );
    expect(report.strategies.map((s) => [s.strategy, s.cases, s.passed, s.passRate])).toEqual([
      ['direct', 2, 1, 0.5],
      ['stigmergy', 2, 1, 0.5],
    ]);
    expect(report).toMatchObject({ cases: 4, passed: 2, passRate: 0.5, threshold: 1, ok: false });
    expect(report.tokens).toBe(report.results.reduce((n, r) => n + r.tokens, 0));
    const markdown = reportMarkdown(report);
    expect(markdown).toContain('**FAIL** — 2/4 passed (50%), threshold 100%');
    expect(markdown).toMatch(/\| wrong \| stigmergy \| \*\*fail\*\* \|.*✗ regex \/\^41\/ \(no match for \/\^41\/\)/);
  });

  it('fails a case whose run throws, with the error, and goes on with the others', async () => {
    const report = await runSuite(
      inMemory({
        name: 'errors',
        cases: [
          { name: 'no-model', task: { agent: 'writer', prompt: 'hi' }, checks: [{ type: 'contains', value: 'x' }] },
          { name: 'unknown-agent', model: { replies: ['x'] }, task: { agent: 'nobody', prompt: 'hi' }, checks: [{ type: 'contains', value: 'x' }] },
          { name: 'fine', model: { replies: ['x'] }, task: { agent: 'writer', prompt: 'hi' }, checks: [{ type: 'contains', value: 'x' }] },
        ],
      }),
      { env: {} },
    );
    const byName = Object.fromEntries(report.results.map((r) => [r.case, r]));
    expect(byName['no-model']!.error!.message).toContain('no model');
    // A user's mistake: a coded error that names the case (and the suite file).
    expect(byName['no-model']!.error).toMatchObject({ code: 'EVAL_SUITE_INVALID', message: expect.stringContaining('case "no-model": no model') });
    expect(byName['unknown-agent']!.error!.code).toBe('AGENT_UNKNOWN');
    expect(byName['fine']!.pass).toBe(true);
    expect(report.passed).toBe(1);
  });

  it('runs at most `concurrency` cases at once', async () => {
    // Each reply waits until a second case is waiting too, then both go on: cases can only complete
    // in pairs, so the limit of 2 is reached, and any case beyond the limit would show in `most`.
    let inFlight = 0;
    let most = 0;
    let waiting: (() => void)[] = [];
    const replies = async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 2) {
          for (const release of waiting) release();
          waiting = [];
        }
      });
      inFlight -= 1;
      return 'ok';
    };
    const cases = Array.from({ length: 6 }, (_, i) => ({
      name: `c${i}`,
      task: { agent: 'writer', prompt: `job ${i}` },
      checks: [{ type: 'contains' as const, value: 'ok' }],
    }));
    const report = await runSuite(inMemory({ name: 'bounded', model: { replies }, cases }), { concurrency: 2 });
    expect(report.passed).toBe(6);
    expect(most).toBe(2);
  });

  it("measures each case's latency on the given clock, from the run's start to its end", async () => {
    const clock = manualClock();
    const suite = inMemory({
      name: 'timed',
      cases: [
        { name: 'slow', model: { replies: ['ok'], latencyMs: 250 }, task: { agent: 'writer', prompt: 'a' }, checks: [{ type: 'contains', value: 'ok' }] },
        { name: 'fast', model: { replies: ['ok'], latencyMs: 40 }, task: { agent: 'writer', prompt: 'b' }, checks: [{ type: 'contains', value: 'ok' }] },
      ],
    });
    const running = runSuite(suite, { clock, concurrency: 2 });
    let done = false;
    void running.finally(() => (done = true));
    // Time moves only when told: let every case reach its sleep, then step to the next deadline.
    while (!done) {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      if (!done) await clock.runNext();
    }
    const report = await running;
    expect(report.results.map((r) => [r.case, r.latencyMs])).toEqual([
      ['slow', 250],
      ['fast', 40],
    ]);
    expect(report.strategies[0]).toMatchObject({ strategy: 'task', meanLatencyMs: 145, maxLatencyMs: 250 });
  });

  it('asks the judge model for llm-judge checks and counts its spend apart', async () => {
    const report = await runSuite(
      inMemory({
        name: 'judged',
        judge: { replies: ['{"pass": false, "reasons": ["it gives no unit"]}'] },
        cases: [{ name: 'c', model: { replies: ['12'] }, task: { agent: 'analyst', prompt: 'How long is a foot in inches?' }, checks: [{ type: 'llm-judge', rubric: 'gives the unit' }] }],
      }),
    );
    const [result] = report.results;
    expect(result!.checks[0]).toMatchObject({ pass: false, message: 'the judge failed it: it gives no unit' });
    expect(result!.judgeTokens).toBeGreaterThan(0);
    expect(result!.tokens).toBeGreaterThan(0);
  });

  it('replays a cassette and reports where its replies came from', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskforce-cassette-'));
    const path = join(dir, 'capital.jsonl');
    const recording = await createTaskforce({
      model: { provider: 'scripted', replies: ['Canberra'] },
      modelOptions: { cassette: { mode: 'record', path } },
    });
    await recording.task('capital', 'Capital of Australia?', 'researcher');
    await recording.close();
    expect(JSON.parse((await readFile(path, 'utf8')).split('\n')[0]!).source).toBe('scripted');

    const report = await runSuite(
      inMemory(
        {
          name: 'replayed',
          model: { cassette: 'capital.jsonl' },
          cases: [
            { name: 'recorded-prompt', task: { agent: 'researcher', prompt: 'Capital of Australia?' }, checks: [{ type: 'regex', pattern: '^Canberra$' }] },
            { name: 'other-prompt', task: { agent: 'researcher', prompt: 'Capital of Peru?' }, checks: [{ type: 'contains', value: 'Lima' }] },
          ],
        },
        dir,
      ),
    );
    const [hit, miss] = report.results;
    expect(hit).toMatchObject({ pass: true, provenance: 'scripted' });
    expect(miss!.error!.code).toBe('CASSETTE_MISS');
  });
});
