/**
 * Holds calls until the test releases them and counts how many are held at once, so a test can
 * check a concurrency cap without timers: no call finishes until the test says so, hence whatever
 * the runtime lets in at the same time is visible.
 */
export interface ConcurrencyProbe {
  /** Call from inside the work being limited; resolves when the test releases it. */
  enter(): Promise<void>;
  /** Resolves once `count` calls are held, then lets a few turns of the event loop pass so any call beyond the cap would have entered too. */
  untilHeld(count: number): Promise<void>;
  /** Releases every held call; returns how many. */
  releaseAll(): number;
  readonly held: number;
  readonly peak: number;
}

const SETTLE_TURNS = 20;

export function concurrencyProbe(): ConcurrencyProbe {
  let waiting: (() => void)[] = [];
  let peak = 0;
  let target: { count: number; reached: () => void } | undefined;
  const check = () => {
    if (target && waiting.length >= target.count) {
      const { reached } = target;
      target = undefined;
      reached();
    }
  };
  return {
    enter() {
      const released = new Promise<void>((resolve) => waiting.push(resolve));
      peak = Math.max(peak, waiting.length);
      check();
      return released;
    },
    async untilHeld(count) {
      await new Promise<void>((reached) => {
        target = { count, reached };
        check();
      });
      for (let turn = 0; turn < SETTLE_TURNS; turn++) await new Promise((resolve) => setImmediate(resolve));
    },
    releaseAll() {
      const released = waiting;
      waiting = [];
      for (const release of released) release();
      return released.length;
    },
    get held() {
      return waiting.length;
    },
    get peak() {
      return peak;
    },
  };
}

/** Releases `total` held calls in waves, checking that every wave fills exactly `cap` slots (fewer only at the end). */
export async function drainInWaves(probe: ConcurrencyProbe, total: number, cap: number): Promise<number[]> {
  const waves: number[] = [];
  let released = 0;
  while (released < total) {
    await probe.untilHeld(Math.min(cap, total - released));
    waves.push(probe.held);
    released += probe.releaseAll();
  }
  return waves;
}
