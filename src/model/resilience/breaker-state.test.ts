import { describe, expect, it } from 'vitest';
import { admit, CLOSED, onFailure, onNeutral, onSuccess, type BreakerSnapshot } from './breaker-state.js';

const settings = { failureThreshold: 3, cooldownMs: 1000 };

const failTimes = (snapshot: BreakerSnapshot, n: number, now = 0) => {
  let s = snapshot;
  for (let i = 0; i < n; i++) s = onFailure(s, now, settings);
  return s;
};

describe('breaker state machine', () => {
  it('stays closed below the threshold and opens at it', () => {
    expect(failTimes(CLOSED, 2)).toEqual({ state: 'closed', failures: 2 });
    expect(failTimes(CLOSED, 3, 50)).toEqual({ state: 'open', openedAt: 50 });
  });

  it('counts consecutive failures only: a success in between starts the count again', () => {
    const afterSuccess = onSuccess(failTimes(CLOSED, 2));
    expect(failTimes(afterSuccess, 2).state).toBe('closed');
  });

  it('rejects calls while open, saying how long until a probe', () => {
    const open = failTimes(CLOSED, 3, 0);
    const admission = admit(open, 400, settings);
    expect(admission).toMatchObject({ allowed: false, retryInMs: 600 });
  });

  it('lets exactly one probe through once the cooldown has passed', () => {
    const open = failTimes(CLOSED, 3, 0);
    const probe = admit(open, 1000, settings);
    expect(probe).toMatchObject({ allowed: true, probe: true, next: { state: 'half-open', probeInFlight: true } });
    expect(admit(probe.next, 1001, settings)).toMatchObject({ allowed: false, retryInMs: 0 });
  });

  it('closes when the probe succeeds', () => {
    const halfOpen = admit(failTimes(CLOSED, 3, 0), 1000, settings).next;
    expect(onSuccess(halfOpen)).toEqual(CLOSED);
  });

  it('reopens, with a fresh cooldown, when the probe fails', () => {
    const halfOpen = admit(failTimes(CLOSED, 3, 0), 1000, settings).next;
    const reopened = onFailure(halfOpen, 1500, settings);
    expect(reopened).toEqual({ state: 'open', openedAt: 1500 });
    expect(admit(reopened, 2400, settings).allowed).toBe(false);
    expect(admit(reopened, 2500, settings).allowed).toBe(true);
  });

  it('frees the probe slot when the probe is aborted, without deciding anything', () => {
    const halfOpen = admit(failTimes(CLOSED, 3, 0), 1000, settings).next;
    const freed = onNeutral(halfOpen, true);
    expect(freed).toEqual({ state: 'half-open', probeInFlight: false });
    expect(admit(freed, 1000, settings)).toMatchObject({ allowed: true, probe: true });
  });

  it('is not closed by a late success of a call that started before it opened', () => {
    const open = failTimes(CLOSED, 3, 0);
    expect(onSuccess(open)).toBe(open);
  });
});
