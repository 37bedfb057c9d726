import type { EventBus } from '../../events/bus.js';
import type { BreakerState } from '../../events/types.js';
import type { Clock } from '../../util/clock.js';
import { admit, CLOSED, onFailure, onNeutral, onSuccess, type BreakerSettings, type BreakerSnapshot } from './breaker-state.js';
import { CircuitOpenError } from './circuit-open-error.js';

/** A circuit breaker for one endpoint. */
export interface CircuitBreaker {
  readonly endpoint: string;
  /** Current state (an open breaker whose cooldown has passed still reads `open` until a call asks). */
  state(): BreakerState;
  /** Lets a call start or throws `CircuitOpenError`. Report the outcome with the returned ticket, exactly once. */
  admit(): BreakerTicket;
}

/** The outcome report of one admitted call. */
export interface BreakerTicket {
  readonly probe: boolean;
  success(): void;
  failure(): void;
  /** The call ended without telling anything about the endpoint (e.g. aborted). */
  neutral(): void;
}

/** Where a breaker reads the time and reports its state changes. */
export interface BreakerContext {
  readonly clock: Clock;
  readonly events?: EventBus;
}

/** Makes a breaker; every state change is a `model.breaker` event. */
export function createCircuitBreaker(endpoint: string, settings: BreakerSettings, context: BreakerContext): CircuitBreaker {
  let snapshot: BreakerSnapshot = CLOSED;
  const move = (next: BreakerSnapshot) => {
    const from = snapshot.state;
    snapshot = next;
    if (from !== next.state) context.events?.emit({ type: 'model.breaker', endpoint, from, to: next.state });
  };
  const report = (outcome: Outcome, probe: boolean) => {
    if (outcome === 'success') move(onSuccess(snapshot));
    else if (outcome === 'failure') move(onFailure(snapshot, context.clock.now(), settings));
    else move(onNeutral(snapshot, probe));
  };
  return {
    endpoint,
    state: () => snapshot.state,
    admit() {
      const admission = admit(snapshot, context.clock.now(), settings);
      move(admission.next);
      if (!admission.allowed) throw new CircuitOpenError(endpoint, admission.retryInMs, admission.reason);
      return new Ticket(admission.probe, report);
    },
  };
}

type Outcome = 'success' | 'failure' | 'neutral';

/** A ticket as one small object, not a closure per outcome: every model call holds one. */
class Ticket implements BreakerTicket {
  private reported = false;
  constructor(
    readonly probe: boolean,
    private readonly report: (outcome: Outcome, probe: boolean) => void,
  ) {}
  success(): void {
    this.settle('success');
  }
  failure(): void {
    this.settle('failure');
  }
  neutral(): void {
    this.settle('neutral');
  }
  private settle(outcome: Outcome): void {
    if (this.reported) return;
    this.reported = true;
    this.report(outcome, this.probe);
  }
}

/**
 * Breakers shared by endpoint, so several models that call the same base URL trip together. Pass one
 * registry in `ResilienceDeps.breakers` to every model of a runtime. The first model to ask for an
 * endpoint fixes that breaker's settings.
 */
export interface BreakerRegistry {
  get(endpoint: string, settings: BreakerSettings, context: BreakerContext): CircuitBreaker;
  /** The breakers made so far, by endpoint. */
  all(): ReadonlyMap<string, CircuitBreaker>;
}

/** A new, empty breaker registry (state lives in the returned object only). */
export function createBreakerRegistry(): BreakerRegistry {
  const breakers = new Map<string, CircuitBreaker>();
  return {
    get(endpoint, settings, context) {
      let breaker = breakers.get(endpoint);
      if (!breaker) {
        breaker = createCircuitBreaker(endpoint, settings, context);
        breakers.set(endpoint, breaker);
      }
      return breaker;
    },
    all: () => breakers,
  };
}
