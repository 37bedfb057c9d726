import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { grepTool } from './grep.js';
import { workspaceAt } from './workspace.js';

const ctx = { signal: new AbortController().signal, agent: 'a', callId: 'c1' };
let root: string;
beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'tf-grep-')));
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'src', 'a.ts'), 'const x = 1;\n// NOTE fix\nconst y = 2; // note\n');
  await writeFile(path.join(root, 'src', 'b.md'), 'NOTE: write docs\n');
  await writeFile(path.join(root, 'bin.dat'), Buffer.from([0, 84, 79, 68, 79]));
});
afterEach(() => rm(root, { recursive: true, force: true }));

type Input = Parameters<ReturnType<typeof grepTool>['execute']>[0];
const run = async (input: Input) => (await grepTool(workspaceAt(root)).execute(input, ctx)).replaceAll(`${root}/`, '');

describe('Grep', () => {
  it('lists matching files by default, skipping binary files', async () => {
    expect(await run({ pattern: 'NOTE' })).toBe('src/a.ts\nsrc/b.md');
  });

  it('shows matching lines in content mode, with numbers under -n, ignoring case under -i', async () => {
    expect(await run({ pattern: 'NOTE', output_mode: 'content' })).toBe('src/a.ts:// NOTE fix\nsrc/b.md:NOTE: write docs');
    expect(await run({ pattern: 'note', output_mode: 'content', '-n': true, '-i': true, glob: '*.ts' })).toBe(
      'src/a.ts:2:// NOTE fix\nsrc/a.ts:3:const y = 2; // note',
    );
  });

  it('counts matches per file', async () => {
    expect(await run({ pattern: 'note', output_mode: 'count', '-i': true })).toBe('src/a.ts:2\nsrc/b.md:1');
  });

  it('filters by glob, searches one file given as path, and stops at head_limit', async () => {
    expect(await run({ pattern: 'NOTE', glob: '**/*.md' })).toBe('src/b.md');
    expect(await run({ pattern: 'const', path: 'src/a.ts', output_mode: 'content' })).toBe('src/a.ts:const x = 1;\nsrc/a.ts:const y = 2; // note');
    expect(await run({ pattern: 'const', output_mode: 'content', head_limit: 1 })).toMatch(/^src\/a.ts:const x = 1;\n\(results cut at 1/);
  });

  it('says when nothing matches; refuses bad patterns and paths outside the workspace', async () => {
    expect(await run({ pattern: 'zebra' })).toBe('No matches found');
    await expect(run({ pattern: '(' })).rejects.toThrow(/not a valid regular expression/);
    await expect(run({ pattern: 'root', path: '/etc' })).rejects.toThrow(/outside the workspace/);
  });
});
