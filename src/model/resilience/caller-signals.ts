/** An attempt that stops when its caller's signal aborts. */
export interface CallerAbortable {
  callerAborted(): void;
}

/**
 * The attempts of one model waiting on each caller signal, behind one listener per signal. Most calls
 * of a runtime share its signal, so thousands of calls in flight hold one listener between them, not
 * a listener and its callback each.
 */
export class CallerSignals {
  private readonly groups = new Map<AbortSignal, Group>();

  /** Calls `attempt.callerAborted()` when `signal` aborts, until `unwatch`. `signal` must not have aborted yet. */
  watch(signal: AbortSignal, attempt: CallerAbortable): void {
    let group = this.groups.get(signal);
    if (!group) {
      group = new Group(signal, this.groups);
      this.groups.set(signal, group);
      signal.addEventListener('abort', group, { once: true });
    }
    group.attempts.add(attempt);
  }

  /** Stops watching for `attempt`; the signal's listener goes with its last attempt. Idempotent. */
  unwatch(signal: AbortSignal, attempt: CallerAbortable): void {
    const group = this.groups.get(signal);
    if (!group?.attempts.delete(attempt) || group.attempts.size > 0) return;
    signal.removeEventListener('abort', group);
    this.groups.delete(signal);
  }
}

/** The attempts waiting on one signal; its own listener on it. */
class Group {
  readonly attempts = new Set<CallerAbortable>();
  constructor(
    private readonly signal: AbortSignal,
    private readonly groups: Map<AbortSignal, Group>,
  ) {}

  handleEvent(): void {
    this.groups.delete(this.signal);
    for (const attempt of this.attempts) attempt.callerAborted();
  }
}
