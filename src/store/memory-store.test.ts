import { describe, expect, it } from 'vitest';
import { memoryStore } from './memory-store.js';

describe('memoryStore', () => {
  it('keeps copies, so mutating what was written or read changes nothing stored', () => {
    const store = memoryStore();
    const value = { score: 1, history: [1] };
    store.set('rep:coder', value);
    value.history.push(2);
    store.get<{ history: number[] }>('rep:coder')?.history.push(3);
    expect(store.get('rep:coder')).toEqual({ score: 1, history: [1] });
  });

  it('lists keys by prefix in sorted order and deletes on undefined', () => {
    const store = memoryStore({ 'trail:b': 1, 'trail:a': 2, 'rep:x': 3 });
    expect(store.keys('trail:')).toEqual(['trail:a', 'trail:b']);
    store.set('trail:a', undefined);
    expect(store.keys()).toEqual(['rep:x', 'trail:b']);
  });

  it('is private to each store', () => {
    const a = memoryStore();
    const b = memoryStore();
    a.set('k', 1);
    expect(b.get('k')).toBeUndefined();
  });
});
