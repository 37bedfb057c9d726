import { z } from 'zod';
import type { Store } from '../src/runtime/store.js';
import { StoreDataError } from './errors.js';
import type { Trails } from './pheromone.js';

const StoredRow = z.object({
  $schemaVersion: z.literal(1),
  pheromone: z.record(z.string(), z.number().nonnegative()),
});

/** Pheromone trails kept in the runtime store, one entry per kind of work, so the colony learns across runs. */
export interface TrailStore {
  /** Trails of one kind (an empty row if none were laid yet). */
  load(kind: string): Trails;
  /** Writes the row of `kind` from `trails`. */
  save(trails: Trails, kind: string): void;
  /** All kinds with trails. */
  kinds(): string[];
}

/** Trails over a `Store`, under keys `<namespace>/<kind>` (default namespace `stigmergy`). */
export function trailStore(store: Store, namespace = 'stigmergy'): TrailStore {
  const prefix = `${namespace}/`;
  return {
    load(kind) {
      const key = prefix + kind;
      const raw = store.get<unknown>(key);
      if (raw === undefined) return { [kind]: {} };
      const parsed = StoredRow.safeParse(raw);
      if (!parsed.success) throw new StoreDataError(key, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
      return { [kind]: parsed.data.pheromone };
    },
    save(trails, kind) {
      store.set(prefix + kind, { $schemaVersion: 1, pheromone: { ...(trails[kind] ?? {}) } });
    },
    kinds: () => store.keys(prefix).map((key) => key.slice(prefix.length)),
  };
}
