import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workspaceAt } from './workspace.js';
import { writeTool } from './write.js';

const ctx = { signal: new AbortController().signal, agent: 'a', callId: 'c1' };
let root: string;
let outside: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tf-write-'));
  outside = await mkdtemp(path.join(tmpdir(), 'tf-out-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('Write', () => {
  it('creates a file and its folders, then replaces it', async () => {
    const write = writeTool(workspaceAt(root));
    expect(await write.execute({ file_path: 'a/b/c.txt', content: 'hello' }, ctx)).toMatch(/^Created/);
    expect(await readFile(path.join(root, 'a/b/c.txt'), 'utf8')).toBe('hello');
    expect(await write.execute({ file_path: 'a/b/c.txt', content: 'bye' }, ctx)).toMatch(/^Updated/);
    expect(await readFile(path.join(root, 'a/b/c.txt'), 'utf8')).toBe('bye');
  });

  it('refuses to write outside the workspace, through a symlink too', async () => {
    const write = writeTool(workspaceAt(root));
    await symlink(outside, path.join(root, 'out'));
    await expect(write.execute({ file_path: '../escape.txt', content: 'x' }, ctx)).rejects.toThrow(/outside the workspace/);
    await expect(write.execute({ file_path: 'out/escape.txt', content: 'x' }, ctx)).rejects.toThrow(/outside the workspace/);
    await expect(readFile(path.join(outside, 'escape.txt'))).rejects.toThrow();
  });

  it('is side-effecting', () => {
    expect(writeTool(workspaceAt(root)).sideEffects).toBe(true);
  });
});
