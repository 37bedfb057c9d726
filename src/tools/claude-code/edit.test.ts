import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editTool } from './edit.js';
import { workspaceAt } from './workspace.js';

const ctx = { signal: new AbortController().signal, agent: 'a', callId: 'c1' };
let root: string;
const file = () => path.join(root, 'f.ts');
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tf-edit-'));
  await writeFile(file(), 'let a = 1;\nlet b = 1;\nconst c = $x;\n');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('Edit', () => {
  it('replaces a unique old_string', async () => {
    const edit = editTool(workspaceAt(root));
    expect(await edit.execute({ file_path: 'f.ts', old_string: 'let a = 1', new_string: 'let a = 2' }, ctx)).toMatch(/replaced 1 occurrence$/);
    expect(await readFile(file(), 'utf8')).toBe('let a = 2;\nlet b = 1;\nconst c = $x;\n');
  });

  it('fails, changing nothing, when old_string occurs more than once without replace_all', async () => {
    const edit = editTool(workspaceAt(root));
    await expect(edit.execute({ file_path: 'f.ts', old_string: '= 1', new_string: '= 3' }, ctx)).rejects.toThrow(/occurs 2 times/);
    expect(await readFile(file(), 'utf8')).toBe('let a = 1;\nlet b = 1;\nconst c = $x;\n');
  });

  it('replaces every occurrence with replace_all', async () => {
    const edit = editTool(workspaceAt(root));
    expect(await edit.execute({ file_path: 'f.ts', old_string: '= 1', new_string: '= 3', replace_all: true }, ctx)).toMatch(/2 occurrences/);
    expect(await readFile(file(), 'utf8')).toBe('let a = 3;\nlet b = 3;\nconst c = $x;\n');
  });

  it('inserts new_string literally ($& and $1 are not patterns)', async () => {
    await editTool(workspaceAt(root)).execute({ file_path: 'f.ts', old_string: '$x', new_string: '$&$1' }, ctx);
    expect(await readFile(file(), 'utf8')).toContain('const c = $&$1;');
  });

  it('fails when old_string is missing, equal to new_string, or the path is outside', async () => {
    const edit = editTool(workspaceAt(root));
    await expect(edit.execute({ file_path: 'f.ts', old_string: 'nope', new_string: 'x' }, ctx)).rejects.toThrow(/not found/);
    await expect(edit.execute({ file_path: 'f.ts', old_string: 'let', new_string: 'let' }, ctx)).rejects.toThrow(/the same/);
    await expect(edit.execute({ file_path: '/etc/passwd', old_string: 'root', new_string: 'x' }, ctx)).rejects.toThrow(/outside the workspace/);
    expect(edit.sideEffects).toBe(true);
  });
});
