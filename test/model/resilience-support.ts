import { createEventBus, type EventBus } from '../../src/events/bus.js';
import type { TaskforceEvent } from '../../src/events/types.js';
import { manualClock, type ManualClock } from '../../src/util/clock.js';

/**
 * A manual clock that moves forward by exactly each backoff the resilience layer announces, so a test
 * over real HTTP never waits on wall time and can assert the schedule from the clock and the events.
 */
export function retryClock(): { clock: ManualClock; events: EventBus; seen: TaskforceEvent[]; ofType<T extends TaskforceEvent['type']>(type: T): Extract<TaskforceEvent, { type: T }>[] } {
  const clock = manualClock(0);
  const events = createEventBus({ clock });
  const seen: TaskforceEvent[] = [];
  events.on((event) => {
    seen.push(event);
    // The backoff sleep is registered right after the event; advance once it is.
    if (event.type === 'model.retry') setImmediate(() => void clock.advance(event.delayMs));
  });
  return {
    clock,
    events,
    seen,
    ofType: <T extends TaskforceEvent['type']>(type: T) => seen.filter((e) => e.type === type) as Extract<TaskforceEvent, { type: T }>[],
  };
}
