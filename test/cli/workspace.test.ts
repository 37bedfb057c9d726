import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tf-cli-ws-'));
  await writeFile(path.join(dir, 'total.ts'), 'let sum = 1;\n');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('taskforce task --workspace', () => {
  it("gives a Claude Code agent file the tools it declares, confined to the folder", async () => {
    const { code, stdout, stderr } = await runCli([
      'task', '--scripted', 'test/cli/fixtures/claude-code-fixer.mjs', '--agents', 'test/fixtures/claude-code-agents', '--workspace', dir, 'fixer', 'Fix total.ts',
    ]);
    expect(stderr).not.toMatch(/not provided|missing/i);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Fixed\. Tool said: Edited total\.ts: replaced 1 occurrence/);
    expect(await readFile(path.join(dir, 'total.ts'), 'utf8')).toBe('let sum = 0;\n');
  });

  it('without --workspace the agent has no Edit tool and the file stays as it was', async () => {
    const { stdout } = await runCli(['task', '--scripted', 'test/cli/fixtures/claude-code-fixer.mjs', '--agents', 'test/fixtures/claude-code-agents', 'fixer', 'Fix total.ts']);
    expect(stdout).not.toMatch(/Edited/);
    expect(await readFile(path.join(dir, 'total.ts'), 'utf8')).toBe('let sum = 1;\n');
  });
});
