import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreCorruptError } from '../../src/store/file-store.js';
import { defaultRunStorePath, importMarkerKey, openRunStore } from '../../src/store/open-run-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'taskforce-open-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('defaultRunStorePath', () => {
  it('uses TASKFORCE_DB (relative to cwd) when set, else <cwd>/.taskforce/taskforce.db', () => {
    expect(defaultRunStorePath('/proj', {})).toBe('/proj/.taskforce/taskforce.db');
    expect(defaultRunStorePath('/proj', { TASKFORCE_DB: '' })).toBe('/proj/.taskforce/taskforce.db');
    expect(defaultRunStorePath('/proj', { TASKFORCE_DB: 'data/runs.db' })).toBe('/proj/data/runs.db');
    expect(defaultRunStorePath('/proj', { TASKFORCE_DB: '/var/tf.db' })).toBe('/var/tf.db');
    expect(defaultRunStorePath('/proj', { TASKFORCE_DB: ':memory:' })).toBe(':memory:');
    expect(defaultRunStorePath('/proj', { TASKFORCE_DB: ' redis://:pw@cache:6379/1 ' })).toBe('redis://:pw@cache:6379/1');
    expect(defaultRunStorePath('/proj', { TASKFORCE_DB: 'rediss://cache:6380' })).toBe('rediss://cache:6380');
  });
});

describe('openRunStore', () => {
  it('opens <cwd>/.taskforce/taskforce.db by default', async () => {
    const store = await openRunStore({ cwd: dir, env: {} });
    expect(store.location).toBe(join(dir, '.taskforce', 'taskforce.db'));
    await store.close();
    expect(existsSync(join(dir, '.taskforce', 'taskforce.db'))).toBe(true);
  });

  it('prefers an explicit path over TASKFORCE_DB, and TASKFORCE_DB over the default', async () => {
    const fromEnv = await openRunStore({ cwd: dir, env: { TASKFORCE_DB: 'env.db' } });
    expect(fromEnv.location).toBe(join(dir, 'env.db'));
    await fromEnv.close();
    const explicit = await openRunStore({ cwd: dir, env: { TASKFORCE_DB: 'env.db' }, path: 'explicit.db' });
    expect(explicit.location).toBe(join(dir, 'explicit.db'));
    await explicit.close();
    expect(existsSync(join(dir, '.taskforce'))).toBe(false);
  });

  it('gives a memory store for :memory:, from the path or the environment, creating no file', async () => {
    const fromPath = await openRunStore({ cwd: dir, path: ':memory:' });
    const fromEnv = await openRunStore({ cwd: dir, env: { TASKFORCE_DB: ':memory:' } });
    expect(fromPath.location).toBe('memory');
    expect(fromEnv.location).toBe('memory');
    await fromPath.close();
    await fromEnv.close();
    expect(existsSync(join(dir, '.taskforce'))).toBe(false);
  });

  describe('importJsonStore', () => {
    const writeJsonStore = (entries: Record<string, unknown>) => {
      const path = join(dir, 'store.json');
      writeFileSync(path, JSON.stringify({ $schemaVersion: 1, entries }));
      return path;
    };

    it('copies the JSON store into kv once, leaves the file, and never re-imports over later changes', async () => {
      const json = writeJsonStore({ 'rep:coder': { score: 0.9 }, 'trail:a': [1, 2] });
      const before = readFileSync(json, 'utf8');
      const first = await openRunStore({ cwd: dir, env: {}, importJsonStore: 'store.json' });
      expect(first.kv.get('rep:coder')).toEqual({ score: 0.9 });
      expect(first.kv.get('trail:a')).toEqual([1, 2]);
      expect(first.kv.get(importMarkerKey(json))).toMatchObject({ keys: 2 });
      first.kv.set('rep:coder', { score: 0.1 });
      first.kv.set('trail:a', undefined);
      await first.close();
      expect(readFileSync(json, 'utf8')).toBe(before);

      const second = await openRunStore({ cwd: dir, env: {}, importJsonStore: json });
      expect(second.kv.get('rep:coder')).toEqual({ score: 0.1 });
      expect(second.kv.get('trail:a')).toBeUndefined();
      await second.close();
    });

    it('keeps keys kv already has, and does nothing when the JSON file does not exist', async () => {
      const store = await openRunStore({ cwd: dir, env: {} });
      store.kv.set('rep:coder', 'newer');
      await store.close();
      const json = writeJsonStore({ 'rep:coder': 'older', 'rep:ada': 'only here' });
      const imported = await openRunStore({ cwd: dir, env: {}, importJsonStore: json });
      expect(imported.kv.get('rep:coder')).toBe('newer');
      expect(imported.kv.get('rep:ada')).toBe('only here');
      await imported.close();

      const none = await openRunStore({ cwd: dir, path: ':memory:', importJsonStore: join(dir, 'missing.json') });
      expect(none.kv.keys()).toEqual([]);
      await none.close();
    });

    it('imports into a memory store too', async () => {
      const json = writeJsonStore({ k: 1 });
      const store = await openRunStore({ path: ':memory:', importJsonStore: json });
      expect(store.kv.keys()).toEqual(['k', importMarkerKey(json)]);
    });

    it('fails with StoreCorruptError naming a JSON store that is not one, and sets no marker', async () => {
      const json = join(dir, 'store.json');
      writeFileSync(json, '{ nope');
      await expect(openRunStore({ cwd: dir, env: {}, importJsonStore: json })).rejects.toBeInstanceOf(StoreCorruptError);
      const store = await openRunStore({ cwd: dir, env: {} });
      expect(store.kv.keys()).toEqual([]);
      await store.close();
    });
  });
});
