import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('agents list and the terminal width', () => {
  it('cuts each agent to one line of the terminal', async () => {
    const { code, stdout } = await runCli(['agents', 'list'], { stdout: { isTTY: true, columns: 80 } });
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.every((line) => line.length <= 79)).toBe(true);
    expect(lines.find((line) => line.startsWith('researcher'))).toMatch(/…$/);
  });

  it('prints whole descriptions into a pipe', async () => {
    const { code, stdout } = await runCli(['agents', 'list']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.some((line) => line.length > 79)).toBe(true);
    expect(lines.some((line) => line.endsWith('…'))).toBe(false);
  });
});

describe('the live view at 80 columns', () => {
  it('fits every line in the terminal, shortening the decision at a word and keeping tokens and cost', async () => {
    const { code, stderr } = await runCli(['run', '--scripted', 'test/cli/fixtures/two-tasks.mjs', 'Say something about owls'], {
      env: { TERM: 'xterm-256color', NO_COLOR: '1' },
      stderr: { isTTY: true, columns: 80, rows: 60 },
    });
    expect(code).toBe(0);
    // After the notice saying where the replies come from (a sentence, free to wrap): the view's frames.
    const lines = stderr.replace(/\r?\x1b\[(\?25[hl]|\d*[AJ])/g, '').split('\n').slice(1);
    expect(lines.length).toBeGreaterThan(4);
    expect(lines.every((line) => line.length <= 80)).toBe(true);
    const facts = lines.filter((line) => /^ {2}✓ facts/.test(line)).at(-1);
    // "direct: best match researcher (score 1.38)" would not fit beside the spend: it ends at a whole word.
    expect(facts).toMatch(/^ {2}✓ facts\s+researcher\s+direct: best match researcher…\s+[\d,]+ tok \$0$/);
  });
});
