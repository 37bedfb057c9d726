import { setMaxListeners } from 'node:events';

/** A signal that follows others, until released. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Stops following: removes the listeners this link put on its sources. Idempotent. */
  release(): void;
}

const NOTHING_TO_RELEASE = () => undefined;

/**
 * One signal that aborts when any of `sources` does, with that source's reason. A single source (after
 * dropping repeats) is returned as it is (no allocation); otherwise a listener is put on each source and removed by
 * `release()`. Unlike `AbortSignal.any`, nothing stays attached to a long-lived source (a runtime's
 * signal) once the work is done, which matters when it serves thousands of short runs.
 *
 * `manyListeners` lifts Node's warning at 11 listeners on the linked signal, for work that has many
 * waiters on it at once (parallel tool calls); a single source is then linked through a controller too.
 */
export function linkSignals(sources: readonly (AbortSignal | undefined)[], options?: { readonly manyListeners?: boolean }): LinkedSignal {
  // Called for every agent run, mostly with one real source: no Set, one small array.
  const present: AbortSignal[] = [];
  for (const source of sources) if (source !== undefined && !present.includes(source)) present.push(source);
  const manyListeners = options?.manyListeners === true;
  if (present.length === 1 && !manyListeners) return { signal: present[0]!, release: NOTHING_TO_RELEASE };
  const controller = new AbortController();
  if (manyListeners) setMaxListeners(0, controller.signal);
  const fired = present.find((s) => s.aborted);
  if (fired) {
    controller.abort(fired.reason);
    return { signal: controller.signal, release: NOTHING_TO_RELEASE };
  }
  const listeners = present.map((source) => {
    const onAbort = () => {
      release();
      controller.abort(source.reason);
    };
    source.addEventListener('abort', onAbort, { once: true });
    return [source, onAbort] as const;
  });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    for (const [source, onAbort] of listeners) source.removeEventListener('abort', onAbort);
  };
  return { signal: controller.signal, release };
}
