import type { ManualClock } from '../../src/util/clock.js';

/**
 * Runs a manual clock deadline by deadline until `result` settles, then returns it. A schedule whose
 * executors all wait on the clock finishes without any wall time passing.
 */
export async function drive<T>(clock: ManualClock, result: Promise<T>, maxSteps = 10_000): Promise<T> {
  let settled = false;
  result.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let step = 0; step < maxSteps && !settled; step++) {
    // Let every microtask settle first, so each sleep the work is about to start is registered before
    // the clock jumps (a long-lived deadline must not be reached ahead of a nearer sleep).
    await new Promise((resolve) => setImmediate(resolve));
    if (!settled) await clock.runNext();
  }
  if (!settled) throw new Error(`schedule did not settle within ${maxSteps} clock steps`);
  return result;
}
