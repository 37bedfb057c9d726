/** Settings of one circuit breaker. */
export interface BreakerSettings {
  /** Consecutive failed calls that open the breaker. */
  readonly failureThreshold: number;
  /** How long it stays open before letting one probe call through, ms. */
  readonly cooldownMs: number;
}

/** The breaker as plain data. */
export type BreakerSnapshot =
  | { readonly state: 'closed'; readonly failures: number }
  | { readonly state: 'open'; readonly openedAt: number }
  | { readonly state: 'half-open'; readonly probeInFlight: boolean };

/** A closed breaker with no failures: the start state. */
export const CLOSED: BreakerSnapshot = Object.freeze({ state: 'closed', failures: 0 });

/** Whether a call may start now, and the breaker after asking. */
export type BreakerAdmission =
  | { readonly allowed: true; readonly probe: boolean; readonly next: BreakerSnapshot }
  | { readonly allowed: false; readonly retryInMs: number; readonly reason: string; readonly next: BreakerSnapshot };

/**
 * Asks to start a call at `now`. Closed: yes. Open: no, until the cooldown has passed; then the
 * breaker turns half-open and this call is the probe. Half-open: no while the probe is in flight.
 */
export function admit(snapshot: BreakerSnapshot, now: number, settings: BreakerSettings): BreakerAdmission {
  switch (snapshot.state) {
    case 'closed':
      return { allowed: true, probe: false, next: snapshot };
    case 'open': {
      const retryInMs = snapshot.openedAt + settings.cooldownMs - now;
      if (retryInMs > 0) return { allowed: false, retryInMs, reason: `retry in ${retryInMs} ms`, next: snapshot };
      return { allowed: true, probe: true, next: { state: 'half-open', probeInFlight: true } };
    }
    case 'half-open':
      return snapshot.probeInFlight
        ? { allowed: false, retryInMs: 0, reason: 'a probe call is in flight', next: snapshot }
        : { allowed: true, probe: true, next: { state: 'half-open', probeInFlight: true } };
  }
}

/**
 * A call reached the endpoint and got an answer (a result, or an error that is the caller's fault,
 * such as a 400: the endpoint is up). Closes a half-open breaker and clears the failure count.
 * An open breaker stays open: only its probe may close it.
 */
export function onSuccess(snapshot: BreakerSnapshot): BreakerSnapshot {
  return snapshot.state === 'open' ? snapshot : CLOSED;
}

/** A call failed with a transient fault after its retries. Opens the breaker at the threshold, or reopens it from half-open. */
export function onFailure(snapshot: BreakerSnapshot, now: number, settings: BreakerSettings): BreakerSnapshot {
  switch (snapshot.state) {
    case 'closed': {
      const failures = snapshot.failures + 1;
      return failures >= settings.failureThreshold ? { state: 'open', openedAt: now } : { state: 'closed', failures };
    }
    case 'half-open':
      return { state: 'open', openedAt: now };
    case 'open':
      return snapshot;
  }
}

/** A call ended without telling anything about the endpoint (aborted by its caller). A probe's slot is freed for the next call. */
export function onNeutral(snapshot: BreakerSnapshot, wasProbe: boolean): BreakerSnapshot {
  return wasProbe && snapshot.state === 'half-open' ? { state: 'half-open', probeInFlight: false } : snapshot;
}
