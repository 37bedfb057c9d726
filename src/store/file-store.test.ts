import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/taskforce-error.js';
import { manualClock } from '../util/clock.js';
import { fileStore, StoreCorruptError, StoreReadError, StoreWriteError } from './file-store.js';

describe('fileStore', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskforce-store-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('starts empty when the file does not exist, and writes on flush (creating folders)', async () => {
    const path = join(tempDir(), 'nested', 'store.json');
    const store = fileStore(path, { debounceMs: Infinity });
    expect(store.keys()).toEqual([]);
    store.set('b/key', { n: 1 });
    store.set('a/key', [1, 2]);
    await store.flush();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ $schemaVersion: 1, entries: { 'a/key': [1, 2], 'b/key': { n: 1 } } });
    const reopened = fileStore(path);
    expect(reopened.get('b/key')).toEqual({ n: 1 });
    expect(reopened.keys('a/')).toEqual(['a/key']);
  });

  it('copies values in and out, and deletes a key set to undefined', async () => {
    const store = fileStore(join(tempDir(), 's.json'), { debounceMs: Infinity });
    const value = { list: [1] };
    store.set('k', value);
    value.list.push(2);
    store.get<{ list: number[] }>('k')!.list.push(3);
    expect(store.get('k')).toEqual({ list: [1] });
    store.set('k', undefined);
    expect(store.keys()).toEqual([]);
  });

  it('writes once after the debounce delay of its clock, not on every set', async () => {
    const clock = manualClock();
    const path = join(tempDir(), 's.json');
    const store = fileStore(path, { clock, debounceMs: 100 });
    store.set('a', 1);
    store.set('b', 2);
    await clock.advance(99);
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
    await clock.advance(1);
    await store.flush();
    expect(JSON.parse(readFileSync(path, 'utf8')).entries).toEqual({ a: 1, b: 2 });
    expect(clock.pending()).toBe(0);
  });

  it('leaves no temp file behind (atomic rename)', async () => {
    const dir = tempDir();
    const store = fileStore(join(dir, 's.json'), { debounceMs: Infinity });
    store.set('a', 1);
    await store.flush();
    store.set('a', 2);
    await store.close();
    expect(readdirSync(dir)).toEqual(['s.json']);
  });

  it('rejects a negative debounce with a ConfigError naming the file', () => {
    const path = join(tempDir(), 'store.json');
    expect(() => fileStore(path, { debounceMs: -1 })).toThrow(ConfigError);
    expect(() => fileStore(path, { debounceMs: -1 })).toThrow(`fileStore ${path}: debounceMs must be >= 0 (got -1)`);
  });

  it('names the file when it cannot be read', () => {
    const path = join(tempDir(), 'is-a-folder');
    mkdirSync(path);
    expect(() => fileStore(path)).toThrow(StoreReadError);
    expect(() => fileStore(path)).toThrow(`cannot read store file ${path}`);
  });

  it('names the file on corrupt content and leaves the file untouched', () => {
    const dir = tempDir();
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"$schemaVersion": 1, "entries": {');
    expect(() => fileStore(path)).toThrow(StoreCorruptError);
    expect(() => fileStore(path)).toThrow(new RegExp(`store file ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is corrupt: not valid JSON`));
    expect(readFileSync(path, 'utf8')).toBe('{"$schemaVersion": 1, "entries": {');
    writeFileSync(path, '[1, 2]');
    expect(() => fileStore(path)).toThrow(/expected a JSON object/);
    writeFileSync(path, '{"$schemaVersion": 2, "entries": {}}');
    expect(() => fileStore(path)).toThrow(/unsupported \$schemaVersion 2/);
    writeFileSync(path, '{"$schemaVersion": 1, "entries": []}');
    expect(() => fileStore(path)).toThrow(/"entries" must be a JSON object/);
  });

  it('reports a failed write as StoreWriteError naming the file, from flush or to onError', async () => {
    const dir = tempDir();
    const folder = join(dir, 'data');
    mkdirSync(folder);
    const path = join(folder, 'store.json');
    const clock = manualClock();
    const store = fileStore(path, { debounceMs: Infinity });
    const errors: StoreWriteError[] = [];
    const debounced = fileStore(path, { clock, debounceMs: 10, onError: (e) => errors.push(e) });
    const silent = fileStore(path, { clock, debounceMs: 10 });
    // A file where the folder was: every write fails.
    rmSync(folder, { recursive: true });
    writeFileSync(folder, 'not a folder');

    store.set('a', 1);
    await expect(store.flush()).rejects.toThrow(StoreWriteError);
    await expect(store.flush()).rejects.toThrow(`cannot write store file ${path}`);

    debounced.set('a', 1);
    await clock.advance(10);
    await expect(debounced.close()).rejects.toThrow(StoreWriteError);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe(path);

    // Without onError, the failure of a debounced write surfaces on the next flush.
    silent.set('a', 1);
    await clock.advance(10);
    await expect(silent.flush()).rejects.toThrow(StoreWriteError);
    // Once the problem is fixed, the unsaved data is written.
    rmSync(folder);
    mkdirSync(folder);
    await silent.flush();
    expect(JSON.parse(readFileSync(path, 'utf8')).entries).toEqual({ a: 1 });
  });
});
