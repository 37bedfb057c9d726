import { setMaxListeners } from 'node:events';
import { ModelTimeoutError } from '../../errors/model-errors.js';
import { AbortedError } from '../../errors/taskforce-error.js';
import { CallerSignals, type CallerAbortable } from './caller-signals.js';
import type { Clock } from '../../util/clock.js';
import type { TimeoutEntry, TimeoutLine } from './timeout-line.js';

/** The signal and timer of one attempt. */
export interface AttemptScope {
  /** Aborts when the caller aborts or the attempt times out; pass it to the provider. */
  readonly signal: AbortSignal;
  /** Why the attempt was cut (`ModelTimeoutError` or `AbortedError`), if it was. */
  interruption(): Error | undefined;
  /**
   * Settles with `work`, or rejects with the interruption as soon as there is one, even when the
   * provider ignores its signal.
   */
  race<T>(work: Promise<T>): Promise<T>;
  /** Stops the timer and detaches from the caller's signal. Idempotent. */
  end(): void;
}

/**
 * Opens the attempts of one model: each merges the caller's signal with a per-attempt timeout on
 * `timeouts` (whose clock a test can drive; no line, no timeout).
 *
 * Attempts that start in the same millisecond under the same caller signal share one: they time out
 * at the same moment and abort with the same caller, so nothing tells their signals apart. Making an
 * `AbortSignal` is the costliest step of a call (in CPU and memory), and a fan-out starts thousands
 * of calls in the same millisecond. Each attempt still has its own interruption error and race.
 */
export class AttemptScopes {
  readonly callers = new CallerSignals();
  /** The group the last attempt joined, which the next one joins when it can. */
  private latest: SignalGroup | undefined;

  constructor(
    readonly provider: string,
    private readonly clock: Clock,
    readonly timeouts: TimeoutLine | undefined,
  ) {}

  open(caller: AbortSignal | undefined): AttemptScope {
    // Grouped by the millisecond they start in, with or without a timeout: a group that lived on
    // would gather a listener from every call (SDKs add one to the signal they get and never remove it).
    const startedAt = this.clock.now();
    let group = this.latest;
    if (!group || group.caller !== caller || group.startedAt !== startedAt || group.closed)
      group = this.latest = new SignalGroup(this, caller, startedAt, this.timeouts ? startedAt + this.timeouts.timeoutMs : Infinity);
    else if (group.idle) group.wake();
    const scope = new Scope(group);
    if (caller?.aborted) group.callerAborted();
    return scope;
  }

  /** `group` takes no more attempts. */
  forget(group: SignalGroup): void {
    if (this.latest === group) this.latest = undefined;
  }
}

/**
 * The attempts sharing one signal: on the timeout line and watching the caller's signal once for all.
 * It leaves both when its last attempt ends (it is idle then) or when it is cut (it is closed, and
 * takes no attempt after that). An idle group takes the next attempt of its millisecond again, so
 * calls one after another (a chain of tasks) share a signal too.
 */
class SignalGroup implements TimeoutEntry, CallerAbortable {
  readonly controller = new AbortController();
  readonly members = new Set<Scope>();
  closed = false;
  idle = false;
  private joined = 0;
  // Its place on the timeout line.
  prev: TimeoutEntry | undefined = undefined;
  next: TimeoutEntry | undefined = undefined;

  constructor(
    private readonly scopes: AttemptScopes,
    readonly caller: AbortSignal | undefined,
    readonly startedAt: number,
    public deadline: number,
  ) {
    this.listen();
  }

  /** On the timeout line and watching the caller (unless it aborted: the attempt is cut at once then). */
  private listen(): void {
    if (this.caller?.aborted) return;
    if (this.caller) this.scopes.callers.watch(this.caller, this);
    // Taken off the line when its attempts end first, which is almost always: that path builds no error object.
    this.scopes.timeouts?.add(this, this.deadline);
  }

  /** Takes attempts again after its last one ended. */
  wake(): void {
    this.idle = false;
    this.listen();
  }

  join(scope: Scope): void {
    this.members.add(scope);
    // Each provider call may listen on the signal (some SDKs never remove their listener): many sharing
    // it are not the leak Node warns about past 10.
    if (++this.joined === 2) setMaxListeners(0, this.controller.signal);
  }

  leave(scope: Scope): void {
    this.members.delete(scope);
    if (this.members.size > 0 || this.closed) return;
    this.idle = true;
    this.unlisten();
  }

  /** The deadline passed (called by the timeout line). */
  expire(): void {
    const { provider, timeouts } = this.scopes;
    this.cut(() => new ModelTimeoutError(provider, timeouts!.timeoutMs));
  }

  callerAborted(): void {
    this.cut(() => new AbortedError(undefined, { cause: this.caller?.reason }));
  }

  private cut(error: () => Error): void {
    if (this.closed) return;
    this.close();
    let reason: Error | undefined;
    // Each attempt its own error, as if it had its own signal; the first is the signal's reason.
    for (const scope of this.members) {
      const cut = scope.interrupt(error());
      reason ??= cut;
    }
    this.controller.abort(reason ?? error());
    for (const scope of this.members) scope.rejectRace?.(scope.interruption()!);
  }

  private close(): void {
    this.closed = true;
    this.scopes.forget(this);
    this.unlisten();
  }

  private unlisten(): void {
    this.scopes.timeouts?.remove(this);
    if (this.caller) this.scopes.callers.unwatch(this.caller, this);
  }
}

/** One attempt: an object rather than a closure per method; its race's promise is built only when asked. */
class Scope implements AttemptScope {
  private cut: Error | undefined;
  /** Rejects the pending `race`, if one was asked for. */
  rejectRace: ((error: Error) => void) | undefined;
  private ended = false;

  constructor(private readonly group: SignalGroup) {
    group.join(this);
  }

  get signal(): AbortSignal {
    return this.group.controller.signal;
  }

  interruption(): Error | undefined {
    return this.cut;
  }

  /** Records why the attempt was cut; returns it. */
  interrupt(error: Error): Error {
    this.cut ??= error;
    return this.cut;
  }

  race<T>(work: Promise<T>): Promise<T> {
    if (this.cut) {
      // The provider's late rejection must not surface as unhandled.
      work.catch(() => undefined);
      return Promise.reject(this.cut);
    }
    return new Promise<T>((resolve, reject) => {
      this.rejectRace = reject;
      // Once the interruption has won, the provider's late answer or rejection settles nothing.
      work.then(resolve, reject);
    });
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.rejectRace = undefined;
    this.group.leave(this);
  }
}
