import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASH_MAX_OUTPUT, bashTool } from './bash.js';
import { workspaceAt } from './workspace.js';

const ctx = () => ({ signal: new AbortController().signal, agent: 'a', callId: 'c1' });
let root: string;
beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'tf-bash-')));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('Bash', () => {
  it('runs the command in the workspace root and returns its output and exit code', async () => {
    const bash = bashTool(workspaceAt(root));
    expect(await bash.execute({ command: 'pwd; echo hi > made.txt; echo err >&2' }, ctx())).toBe(`${root}\nerr\n(exit code 0)`);
    expect(await readFile(path.join(root, 'made.txt'), 'utf8')).toBe('hi\n');
  });

  it('fails with the exit code and the output when the command fails', async () => {
    const bash = bashTool(workspaceAt(root));
    await expect(bash.execute({ command: 'echo partial; exit 3' }, ctx())).rejects.toThrow(/exited with code 3\npartial/);
  });

  it('kills a command (and what it started) at its timeout', async () => {
    const bash = bashTool(workspaceAt(root), { timeoutMs: 5_000 });
    const started = Date.now();
    await expect(bash.execute({ command: 'sleep 30', timeout: 200 }, ctx())).rejects.toThrow(/timed out after 200 ms/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops when the signal fires', async () => {
    const controller = new AbortController();
    const running = bashTool(workspaceAt(root)).execute({ command: 'sleep 30' }, { ...ctx(), signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(running).rejects.toThrow(/signal SIGKILL/);
  });

  it('caps the output', async () => {
    const out = await bashTool(workspaceAt(root)).execute({ command: `head -c ${BASH_MAX_OUTPUT * 2} /dev/zero | tr '\\0' a` }, ctx());
    expect(out).toMatch(/output cut at/);
    expect(out.length).toBeLessThan(BASH_MAX_OUTPUT + 200);
  });

  it('is side-effecting', () => {
    expect(bashTool(workspaceAt(root)).sideEffects).toBe(true);
  });
});
