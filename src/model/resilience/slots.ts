import pLimit from 'p-limit';
import { AbortedError } from '../../errors/taskforce-error.js';

/** A cap on calls in flight. `acquire` resolves with the function that frees the slot. */
export interface Slots {
  acquire(signal?: AbortSignal): Promise<() => void>;
}

/**
 * At most `max` holders at once (p-limit underneath). A slot is held for as long as the holder wants,
 * e.g. until a stream ends; a caller that aborts while queued leaves the queue without taking one.
 */
export function createSlots(max: number): Slots {
  if (!Number.isFinite(max)) return { acquire: async () => () => undefined };
  const limit = pLimit(max);
  return {
    acquire(signal) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(new AbortedError(undefined, { cause: signal.reason }));
        let gaveUp = false;
        const onAbort = () => {
          gaveUp = true;
          reject(new AbortedError(undefined, { cause: signal?.reason }));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        void limit(
          () =>
            new Promise<void>((release) => {
              signal?.removeEventListener('abort', onAbort);
              if (gaveUp) release();
              else resolve(once(release));
            }),
        );
      });
    },
  };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
