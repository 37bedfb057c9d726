import { z } from 'zod';
import type { Store } from '../src/store/kv-store.js';
import { StoreDataError } from './errors.js';
import { NO_TRAIL, type Trail, type Trails } from './pheromone.js';

const StoredTrail = z.object({ success: z.number().nonnegative(), failure: z.number().nonnegative() });

/** Version 2: success and failure pheromone per agent. */
const StoredRowV2 = z.object({
  $schemaVersion: z.literal(2),
  trails: z.record(z.string(), StoredTrail),
});

/**
 * Version 1 (before success and failure trails): one pheromone level per agent. It counted no
 * failures, so it cannot be read as outcomes; its agents load with empty trails and the colony
 * learns again.
 */
const StoredRowV1 = z.object({
  $schemaVersion: z.literal(1),
  pheromone: z.record(z.string(), z.number().nonnegative()),
});

const StoredRow = z.discriminatedUnion('$schemaVersion', [StoredRowV2, StoredRowV1]);

/** Pheromone trails kept in the runtime store, one entry per kind of work, so the colony learns across runs. */
export interface TrailStore {
  /** Trails of one kind (an empty row if none were laid yet). */
  load(kind: string): Trails;
  /** Writes the row of `kind` from `trails`. */
  save(trails: Trails, kind: string): void;
  /** All kinds with trails. */
  kinds(): string[];
}

/**
 * Trails over a `Store`, under keys `<namespace>/<kind>` (default namespace `stigmergy`), written as
 * `{ $schemaVersion: 2, trails: { agent: { success, failure } } }`; a version 1 row still loads.
 */
export function trailStore(store: Store, namespace = 'stigmergy'): TrailStore {
  const prefix = `${namespace}/`;
  return {
    load(kind) {
      const key = prefix + kind;
      const raw = store.get<unknown>(key);
      if (raw === undefined) return { [kind]: {} };
      const parsed = StoredRow.safeParse(raw);
      if (!parsed.success) throw new StoreDataError(key, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
      const row: Record<string, Trail> =
        parsed.data.$schemaVersion === 2 ? parsed.data.trails : Object.fromEntries(Object.keys(parsed.data.pheromone).map((agent) => [agent, NO_TRAIL]));
      return { [kind]: row };
    },
    save(trails, kind) {
      const row = trails[kind] ?? {};
      store.set(prefix + kind, {
        $schemaVersion: 2,
        trails: Object.fromEntries(Object.entries(row).map(([agent, t]) => [agent, { success: t.success, failure: t.failure }])),
      });
    },
    kinds: () => store.keys(prefix).map((key) => key.slice(prefix.length)),
  };
}
