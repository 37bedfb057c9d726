import type { Random } from './random.js';

/** Makes ids for runs, tasks, calls. Injected so that a seeded run produces the same ids. */
export interface IdGenerator {
  /** A new id, e.g. `task_3` or `run_k2x9`; unique within this generator. */
  next(prefix: string): string;
}

/** Sequential ids per prefix: `task_1`, `task_2`, ... Deterministic; the default for seeded runs. */
export function sequentialIds(): IdGenerator {
  const counters = new Map<string, number>();
  return {
    next(prefix) {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}_${n}`;
    },
  };
}

/** Random-looking ids drawn from `random` (seeded or not), so ids from separate runs do not collide. */
export function randomIds(random: Random): IdGenerator {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return {
    next(prefix) {
      let s = '';
      for (let i = 0; i < 10; i++) s += alphabet[Math.floor(random.next() * alphabet.length)];
      return `${prefix}_${s}`;
    },
  };
}
