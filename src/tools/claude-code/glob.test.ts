import { mkdir, mkdtemp, realpath, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { globToRegExp } from './glob-pattern.js';
import { globTool } from './glob.js';
import { workspaceAt } from './workspace.js';

const ctx = { signal: new AbortController().signal, agent: 'a', callId: 'c1' };
let root: string;
beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'tf-glob-')));
  for (const [file, age] of [['a.ts', 3], ['src/b.ts', 2], ['src/deep/c.ts', 1], ['src/d.md', 0], ['node_modules/x.ts', 0]] as const) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), file);
    const time = new Date(Date.UTC(2026, 0, 10 - age));
    await utimes(path.join(root, file), time, time);
  }
});
afterEach(() => rm(root, { recursive: true, force: true }));

const run = async (pattern: string, dir?: string) =>
  (await globTool(workspaceAt(root)).execute({ pattern, ...(dir !== undefined ? { path: dir } : {}) }, ctx))
    .split('\n')
    .map((p) => (p.startsWith(root) ? path.relative(root, p) : p));

describe('globToRegExp', () => {
  it('reads **, *, ?, {a,b} and classes', () => {
    expect(globToRegExp('**/*.ts').test('a.ts')).toBe(true);
    expect(globToRegExp('**/*.ts').test('x/y/a.ts')).toBe(true);
    expect(globToRegExp('*.ts').test('x/a.ts')).toBe(false);
    expect(globToRegExp('src/*.{ts,md}').test('src/d.md')).toBe(true);
    expect(globToRegExp('src/?.ts').test('src/b.ts')).toBe(true);
    expect(globToRegExp('src/[ab].ts').test('src/c.ts')).toBe(false);
    expect(globToRegExp('a.ts').test('aXts')).toBe(false);
    expect(globToRegExp('*.ts', { matchBase: true }).test('x/y/a.ts')).toBe(true);
  });
});

describe('Glob', () => {
  it('finds files by pattern, newest first, skipping node_modules', async () => {
    expect(await run('**/*.ts')).toEqual(['src/deep/c.ts', 'src/b.ts', 'a.ts']);
    expect(await run('*.ts')).toEqual(['a.ts']);
    expect(await run('src/*.{ts,md}')).toEqual(['src/d.md', 'src/b.ts']);
  });

  it('searches under path, matching paths relative to it', async () => {
    expect(await run('*.ts', 'src')).toEqual(['src/b.ts']);
    expect(await run('**/c.ts', 'src')).toEqual(['src/deep/c.ts']);
  });

  it('says when nothing matches, and refuses a path outside the workspace', async () => {
    expect(await run('*.py')).toEqual(['No files found']);
    await expect(run('*', '..')).rejects.toThrow(/outside the workspace/);
  });
});
