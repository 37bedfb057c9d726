/** An attempt that stops when its caller's signal aborts. */
export interface CallerAbortable {
  callerAborted(): void;
}

/**
 * The attempts of one model waiting on each caller signal, behind one listener per signal. Most calls
 * of a runtime share its signal, so thousands of calls in flight hold one listener between them, not
 * a listener and its callback each.
 *
 * The signal whose last attempt left most recently keeps its listener until another signal's takes its
 * place (or it aborts): calls one after another on one signal (a chain of tasks) would otherwise add
 * and remove a listener, and a map entry, each time. So at most one signal is listened to with nothing
 * waiting on it.
 */
export class CallerSignals {
  private readonly groups = new Map<AbortSignal, Group>();
  /** The group with no attempt left that still listens. */
  private idle: Group | undefined;

  /** Calls `attempt.callerAborted()` when `signal` aborts, until `unwatch`. `signal` must not have aborted yet. */
  watch(signal: AbortSignal, attempt: CallerAbortable): void {
    let group = this.groups.get(signal);
    if (!group) {
      group = new Group(signal, this);
      this.groups.set(signal, group);
      signal.addEventListener('abort', group, { once: true });
    } else if (group === this.idle) this.idle = undefined;
    group.attempts.add(attempt);
  }

  /** Stops watching for `attempt`; the signal's listener goes when another signal's last attempt leaves. Idempotent. */
  unwatch(signal: AbortSignal, attempt: CallerAbortable): void {
    const group = this.groups.get(signal);
    if (!group?.attempts.delete(attempt) || group.attempts.size > 0) return;
    const previous = this.idle;
    this.idle = group;
    if (previous) this.drop(previous);
  }

  /** Number of signals listened to (for tests). */
  get listening(): number {
    return this.groups.size;
  }

  /** `group`'s signal aborted, or it stopped listening. */
  forget(group: Group): void {
    this.groups.delete(group.signal);
    if (this.idle === group) this.idle = undefined;
  }

  private drop(group: Group): void {
    group.signal.removeEventListener('abort', group);
    this.forget(group);
  }
}

/** The attempts waiting on one signal; its own listener on it. */
class Group {
  readonly attempts = new Set<CallerAbortable>();
  constructor(
    readonly signal: AbortSignal,
    private readonly owner: CallerSignals,
  ) {}

  handleEvent(): void {
    this.owner.forget(this);
    for (const attempt of this.attempts) attempt.callerAborted();
  }
}
