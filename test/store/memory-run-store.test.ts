import { describe, expect, it } from 'vitest';
import { memoryRunStore } from '../../src/store/memory-run-store.js';
import { runStoreContract } from './run-store-contract.js';

runStoreContract('memoryRunStore', async () => memoryRunStore());

describe('memoryRunStore', () => {
  it('starts kv from a copy of the given data', () => {
    const initial = { 'rep:coder': { score: 1 } };
    const store = memoryRunStore({ kv: initial });
    initial['rep:coder'].score = 2;
    expect(store.kv.get('rep:coder')).toEqual({ score: 1 });
    expect(store.location).toBe('memory');
  });

  it('is private to each store', async () => {
    const a = memoryRunStore();
    const b = memoryRunStore();
    await a.createRun({ runId: 'r1', goal: 'g', options: {}, createdAt: 1 });
    expect(await b.getRun('r1')).toBeUndefined();
  });
});
