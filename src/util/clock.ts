import { AbortedError } from '../errors/taskforce-error.js';

/** Time as the runtime sees it. Injected so tests and seeded runs do not depend on the wall clock. */
export interface Clock {
  /** Milliseconds since the epoch (or since any fixed origin, for a manual clock). */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time; rejects with AbortedError if `signal` fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `fire` after `ms` milliseconds unless cancelled first. Optional: a timer that is almost always
   * cancelled (a per-call timeout) costs no error object this way; `startTimer` falls back to `sleep`.
   */
  timer?(ms: number, fire: () => void): ClockTimer;
}

/** A timer from {@link Clock.timer}. */
export interface ClockTimer {
  cancel(): void;
  /**
   * Whether the timer keeps the process alive (the real clock's do, until `hold(false)`). A timer kept
   * armed while nothing waits on it must not; a clock without processes to keep alive may leave this out.
   */
  hold?(keepAlive: boolean): void;
}

/** A cancellable timer on `clock`: its own `timer` when it has one, else a `sleep` with a signal. */
export function startTimer(clock: Clock, ms: number, fire: () => void): ClockTimer {
  if (clock.timer) return clock.timer(ms, fire);
  const stop = new AbortController();
  clock.sleep(ms, stop.signal).then(fire, () => undefined);
  return { cancel: () => stop.abort() };
}

/** The real clock: `Date.now()` and `setTimeout`. */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    timer(ms, fire) {
      const handle = setTimeout(fire, Math.max(0, ms));
      return { cancel: () => clearTimeout(handle), hold: (keepAlive) => void (keepAlive ? handle.ref() : handle.unref()) };
    },
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(new AbortedError(undefined, { cause: signal.reason }));
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, Math.max(0, ms));
        const onAbort = () => {
          clearTimeout(timer);
          reject(new AbortedError(undefined, { cause: signal?.reason }));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

/**
 * A clock that only moves when told to. `sleep` resolves when `advance` passes its deadline, so a test
 * can check a schedule (backoff, rate limits, critical path) without waiting on wall time.
 */
export interface ManualClock extends Clock {
  /** Moves time forward, resolving every sleeper whose deadline is reached, in deadline order. */
  advance(ms: number): Promise<void>;
  /** Moves time to the next pending deadline, if any; returns whether one was pending. */
  runNext(): Promise<boolean>;
  /** Number of sleeps waiting. */
  pending(): number;
}

export function manualClock(start = 0): ManualClock {
  let current = start;
  let seq = 0;
  const sleepers: { at: number; seq: number; resolve: () => void }[] = [];
  const flush = async () => {
    // Let promise chains settle so code woken by one sleeper can register the next.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const wakeDue = async () => {
    sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    while (sleepers.length > 0 && sleepers[0]!.at <= current) {
      sleepers.shift()!.resolve();
      await flush();
      sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    }
  };
  return {
    now: () => current,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(new AbortedError(undefined, { cause: signal.reason }));
        const entry = { at: current + Math.max(0, ms), seq: seq++, resolve };
        const onAbort = () => {
          const i = sleepers.indexOf(entry);
          if (i >= 0) sleepers.splice(i, 1);
          reject(new AbortedError(undefined, { cause: signal?.reason }));
        };
        entry.resolve = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.push(entry);
      });
    },
    timer(ms, fire) {
      const entry = { at: current + Math.max(0, ms), seq: seq++, resolve: fire };
      sleepers.push(entry);
      return {
        cancel() {
          const i = sleepers.indexOf(entry);
          if (i >= 0) sleepers.splice(i, 1);
        },
      };
    },
    async advance(ms) {
      const target = current + ms;
      await flush();
      for (;;) {
        sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = sleepers[0];
        if (!next || next.at > target) break;
        current = next.at;
        await wakeDue();
      }
      current = target;
      await flush();
    },
    async runNext() {
      await flush();
      sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = sleepers[0];
      if (!next) return false;
      current = Math.max(current, next.at);
      await wakeDue();
      return true;
    },
    pending: () => sleepers.length,
  };
}
