import type { Store } from './kv-store.js';

/**
 * A `Store` held in memory, private to the runtime that created it. Values are copied in and out
 * (`structuredClone`), so a caller mutating what it read or wrote never changes the stored data.
 * Setting a key to `undefined` removes it.
 */
export function memoryStore(initial: Readonly<Record<string, unknown>> = {}): Store {
  const data = new Map<string, unknown>(Object.entries(initial).map(([key, value]) => [key, structuredClone(value)]));
  return {
    get<T>(key: string): T | undefined {
      return data.has(key) ? (structuredClone(data.get(key)) as T) : undefined;
    },
    set(key, value) {
      if (value === undefined) data.delete(key);
      else data.set(key, structuredClone(value));
    },
    keys(prefix = '') {
      return [...data.keys()].filter((key) => key.startsWith(prefix)).sort();
    },
    flush: async () => undefined,
  };
}
