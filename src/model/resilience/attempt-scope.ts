import { ModelTimeoutError } from '../../errors/model-errors.js';
import { AbortedError } from '../../errors/taskforce-error.js';
import { startTimer, type Clock } from '../../util/clock.js';

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
 * Merges the caller's signal with a per-attempt timeout measured on `clock` (so a manual clock drives
 * it in tests). `timeoutMs` of `Infinity` means no timeout.
 */
export function openAttemptScope(caller: AbortSignal | undefined, timeoutMs: number, clock: Clock, provider: string): AttemptScope {
  const controller = new AbortController();
  let interruption: Error | undefined;
  let interrupt!: (error: Error) => void;
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = reject;
  });
  // Only observed through race(); never an unhandled rejection.
  interrupted.catch(() => undefined);
  const cut = (error: Error) => {
    if (interruption) return;
    interruption = error;
    controller.abort(error);
    interrupt(error);
  };
  const onCallerAbort = () => cut(new AbortedError(undefined, { cause: caller?.reason }));
  if (caller?.aborted) onCallerAbort();
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  // Cancelled when the attempt ends first, which is almost always: that path builds no error object.
  const timer = Number.isFinite(timeoutMs) && !interruption ? startTimer(clock, timeoutMs, () => cut(new ModelTimeoutError(provider, timeoutMs))) : undefined;
  let ended = false;
  return {
    signal: controller.signal,
    interruption: () => interruption,
    race(work) {
      // If the interruption wins, the provider's late rejection must not surface as unhandled.
      work.catch(() => undefined);
      return Promise.race([work, interrupted]);
    },
    end() {
      if (ended) return;
      ended = true;
      timer?.cancel();
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}
