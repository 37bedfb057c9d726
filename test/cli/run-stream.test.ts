import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const REPLIES = 'test/cli/fixtures/two-tasks.mjs';

describe('taskforce run --json --stream', () => {
  it('prints each event as one JSON line as the run goes, and the result as the last line', async () => {
    const { code, stdout, stderr } = await runCli(['run', '--json', '--stream', '--scripted', REPLIES, 'Say something about owls']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    const events = lines.map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('plan');
    expect(types.filter((t) => t === 'task.started')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'task.finished').map((e) => [e.taskId, e.status, e.output])).toEqual([
      ['facts', 'completed', 'Owls hunt at night. Owls can turn their heads about 270 degrees.'],
      ['summary', 'completed', 'Owls are night hunters with very flexible necks.'],
    ]);
    expect(types).toContain('decision');
    const answer = events.flatMap((e) => (e.type === 'answer.delta' ? [e.text] : [])).join('');
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: 'result', ok: true, output: answer, model: { provenance: 'scripted' } });
    expect(answer).toContain('[facts, summary]');
    expect(types.filter((t) => t === 'result')).toHaveLength(1);
  });

  it('refuses --stream without --json (exit 2)', async () => {
    const { code, stdout, stderr } = await runCli(['run', '--stream', '--scripted', REPLIES, 'Say something about owls']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/--stream .*needs --json/);
  });
});
