import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workspaceAt, WorkspaceToolError } from './workspace.js';

let root: string;
let outsideDir: string;
beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'tf-ws-')));
  outsideDir = await realpath(await mkdtemp(path.join(tmpdir(), 'tf-out-')));
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'src', 'a.txt'), 'a');
  await writeFile(path.join(outsideDir, 'secret.txt'), 'secret');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outsideDir, { recursive: true, force: true });
});

describe('workspaceAt', () => {
  it('resolves relative paths against the root and accepts absolute paths inside it', async () => {
    const ws = workspaceAt(root);
    expect(await ws.resolve('src/a.txt')).toBe(path.join(root, 'src', 'a.txt'));
    expect(await ws.resolve(path.join(root, 'src', 'a.txt'))).toBe(path.join(root, 'src', 'a.txt'));
    expect(await ws.resolve('new/dir/file.txt')).toBe(path.join(root, 'new', 'dir', 'file.txt'));
  });

  it('refuses "..", absolute paths elsewhere and symlinks that lead out', async () => {
    const ws = workspaceAt(root);
    await symlink(outsideDir, path.join(root, 'link'));
    await symlink(path.join(outsideDir, 'secret.txt'), path.join(root, 'secret-link.txt'));
    for (const bad of ['../x', 'src/../../x', '/etc/passwd', path.join(outsideDir, 'secret.txt'), 'link/secret.txt', 'secret-link.txt', 'link/new.txt'])
      await expect(ws.resolve(bad), bad).rejects.toThrow(WorkspaceToolError);
    await expect(ws.resolve('../x')).rejects.toThrow(/outside the workspace/);
  });

  it('refuses a dangling symlink, which a write would follow out', async () => {
    await symlink(path.join(outsideDir, 'not-yet'), path.join(root, 'dangling'));
    await expect(workspaceAt(root).resolve('dangling')).rejects.toThrow(/symlink whose target does not exist/);
    await expect(workspaceAt(root).resolve('dangling/file.txt')).rejects.toThrow(WorkspaceToolError);
  });

  it('accepts a symlink that stays inside the root', async () => {
    await symlink(path.join(root, 'src'), path.join(root, 'alias'));
    expect(await workspaceAt(root).resolve('alias/a.txt')).toBe(path.join(root, 'src', 'a.txt'));
  });

  it('says so when the root does not exist', async () => {
    await expect(workspaceAt(path.join(root, 'missing')).resolve('a')).rejects.toThrow(/workspace root .* cannot be used/);
  });
});
