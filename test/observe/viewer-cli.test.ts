import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

// `taskforce view` on its own: what it writes where, and how it refuses a trace it cannot use. The
// page itself is checked in a browser in viewer-browser.test.ts.

const EVENTS = [
  { type: 'run.started', at: 0, runId: 'run_1', goal: 'A goal', depth: 0 },
  { type: 'task.started', at: 0, runId: 'run_1', taskId: 'a', title: 'Task A', attempt: 1 },
  { type: 'task.completed', at: 5, runId: 'run_1', taskId: 'a', durationMs: 5 },
  { type: 'run.completed', at: 6, runId: 'run_1', durationMs: 6, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 },
];
const jsonl = (events: readonly object[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

describe('taskforce view', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taskforce-view-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the page beside the trace, with .html for .jsonl, and prints its path', async () => {
    await writeFile(join(dir, 'run.jsonl'), jsonl(EVENTS));
    const { code, stdout } = await runCli(['view', 'run.jsonl'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(join(dir, 'run.html'));
    expect(await readFile(join(dir, 'run.html'), 'utf8')).toContain('data-key="run_1/a"');
  });

  it('writes where --out says, and takes the answer and outputs from --result', async () => {
    await writeFile(join(dir, 'run.jsonl'), jsonl(EVENTS));
    await writeFile(join(dir, 'run.json'), JSON.stringify({ output: 'Done [a].', tree: { runId: 'run_1', tasks: [{ id: 'a', output: 'A did <b>it</b>', subRuns: [] }] } }));
    const { code, stdout } = await runCli(['view', 'run.jsonl', '--result', 'run.json', '--out', 'page.html', '--title', 'T'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(join(dir, 'page.html'));
    const html = await readFile(join(dir, 'page.html'), 'utf8');
    expect(html).toContain('<title>T</title>');
    expect(html).toContain('Done [<a class="cite" href="#task-run_1/a" data-key="run_1/a">a</a>].');
    expect(html).toContain('A did &lt;b&gt;it&lt;/b&gt;');
  });

  it("shows the answer the trace's answer.delta events carry, with no --result", async () => {
    const deltas = [
      { type: 'answer.delta', at: 5, runId: 'run_1', draft: 1, text: 'Based on ' },
      { type: 'answer.delta', at: 5, runId: 'run_1', draft: 1, text: '[a].' },
    ];
    await writeFile(join(dir, 'run.jsonl'), jsonl([...EVENTS.slice(0, 3), ...deltas, ...EVENTS.slice(3)]));
    expect((await runCli(['view', 'run.jsonl'], { cwd: dir })).code).toBe(0);
    expect(await readFile(join(dir, 'run.html'), 'utf8')).toContain('Based on [<a class="cite" href="#task-run_1/a" data-key="run_1/a">a</a>].');
  });

  it('reads a trace whose last line was cut short', async () => {
    await writeFile(join(dir, 'run.jsonl'), `${jsonl(EVENTS.slice(0, 2))}{"type":"task.comp`);
    const { code } = await runCli(['view', 'run.jsonl'], { cwd: dir });
    expect(code).toBe(0);
  });

  it('exits 2 naming the file for a trace it cannot read, that is not JSONL, or that has no events', async () => {
    const missing = await runCli(['view', 'missing.jsonl'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/taskforce view: cannot read the trace .*missing\.jsonl/);

    await writeFile(join(dir, 'bad.jsonl'), `${jsonl(EVENTS.slice(0, 1))}oops\n${jsonl(EVENTS.slice(1))}`);
    const bad = await runCli(['view', 'bad.jsonl'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.jsonl:2: not a JSON line');

    await writeFile(join(dir, 'empty.jsonl'), '');
    const empty = await runCli(['view', 'empty.jsonl'], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('the trace empty.jsonl has no events');

    await writeFile(join(dir, 'run.jsonl'), jsonl(EVENTS));
    await writeFile(join(dir, 'result.json'), '{"no":"tree"}');
    const result = await runCli(['view', 'run.jsonl', '--result', 'result.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("result.json is not a run's --json document");
  });

  it('exits 2 with its usage when the trace is missing, and says a run id needs the run store', async () => {
    const { code, stderr } = await runCli(['view'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('missing the trace file');
    expect(stderr).toContain('Viewing a run by its id needs the durable run store');
  });
});
