import { manualClock } from '../../src/util/clock.js';
import type { Clock } from '../../src/util/clock.js';

/**
 * A clock for tests whose scripted replies carry a simulated latency (the demo's 120 ms a call): a
 * manual clock, starting at the wall-clock time, that moves itself to the next deadline on each turn
 * of the event loop while anything sleeps. Sleeps end in deadline order, so a reply's latency still
 * beats the call's timeout and concurrent calls still overlap, but nothing waits on wall time.
 *
 * Not for a reply held until Ctrl-C (a ten-minute latency): that sleep ends too, without the interrupt.
 */
export function autoClock(): Clock {
  const clock = manualClock(Date.now());
  let driving = false;
  const drive = () => {
    if (driving) return;
    driving = true;
    setImmediate(async () => {
      // runNext first lets pending promise chains settle, then wakes the earliest sleepers.
      await clock.runNext();
      driving = false;
      if (clock.pending() > 0) drive();
    });
  };
  return {
    now: () => clock.now(),
    sleep(ms, signal) {
      const sleeping = clock.sleep(ms, signal);
      drive();
      return sleeping;
    },
  };
}
