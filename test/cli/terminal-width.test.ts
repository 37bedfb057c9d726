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
