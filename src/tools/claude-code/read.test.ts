import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { numberLines, readTool } from './read.js';
import { workspaceAt } from './workspace.js';

const ctx = { signal: new AbortController().signal, agent: 'a', callId: 'c1' };
let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tf-read-'));
  await writeFile(path.join(root, 'f.txt'), 'one\ntwo\nthree\nfour\n');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('Read', () => {
  it('returns the lines numbered as cat -n prints them', async () => {
    const read = readTool(workspaceAt(root));
    expect(await read.execute({ file_path: 'f.txt' }, ctx)).toBe('     1\tone\n     2\ttwo\n     3\tthree\n     4\tfour');
  });

  it('starts at offset (1-based) and reads at most limit lines, keeping the real line numbers', async () => {
    const read = readTool(workspaceAt(root));
    expect(await read.execute({ file_path: path.join(root, 'f.txt'), offset: 2, limit: 2 }, ctx)).toBe('     2\ttwo\n     3\tthree');
    expect(await read.execute({ file_path: 'f.txt', offset: 9 }, ctx)).toMatch(/fewer than 9 lines/);
  });

  it('refuses files outside the workspace and says when a file is missing', async () => {
    const read = readTool(workspaceAt(root));
    await expect(read.execute({ file_path: '/etc/passwd' }, ctx)).rejects.toThrow(/outside the workspace/);
    await expect(read.execute({ file_path: '../x' }, ctx)).rejects.toThrow(/outside the workspace/);
    await expect(read.execute({ file_path: 'nope.txt' }, ctx)).rejects.toThrow(/does not exist/);
  });

  it('is read-only', () => {
    expect(readTool(workspaceAt(root)).sideEffects).toBeUndefined();
  });

  it('cuts very long lines', () => {
    expect(numberLines('x'.repeat(2500))).toMatch(/\[line cut\]$/);
  });
});
