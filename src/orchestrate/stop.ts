import { isBudgetStop, stopKind } from '../errors/classify.js';
import { errorMessage } from '../errors/error-info.js';
import type { StopCause } from '../scheduler/types.js';
import type { RecursionGuard } from './guard.js';
import type { StoppedBy } from './types.js';

/** The stop an error stands for: a budget reached or a cancellation. Any other error is not a stop. */
export function stopOf(error: unknown, signal?: AbortSignal): StoppedBy | undefined {
  if (isBudgetStop(error)) return { kind: 'budget', budget: error.budget, detail: error.message };
  const reason: unknown = signal?.aborted ? signal.reason : undefined;
  if (isBudgetStop(reason)) return { kind: 'budget', budget: reason.budget, detail: reason.message };
  if (stopKind(error, signal) === 'cancelled') return { kind: 'cancelled', detail: abortReason(signal) ?? errorMessage(error) };
  return undefined;
}

/** Why the caller aborted, in its own words (`controller.abort('cancelled with Ctrl-C')`), if it gave any. */
function abortReason(signal: AbortSignal | undefined): string | undefined {
  const reason: unknown = signal?.aborted ? signal.reason : undefined;
  if (typeof reason === 'string' && reason) return reason;
  if (reason instanceof Error && reason.name !== 'AbortError' && reason.message) return reason.message;
  return undefined;
}

/** A schedule's stop cause as a run's `stoppedBy`; a failure caused by the agent cap is reported as the cap. */
export function stopOfSchedule(cause: StopCause | undefined, guard: RecursionGuard): StoppedBy | undefined {
  if (!cause) return undefined;
  switch (cause.kind) {
    case 'budget':
      return { kind: 'budget', budget: cause.budget, detail: cause.detail };
    case 'cancelled':
      return { kind: 'cancelled', detail: cause.detail };
    case 'waiting':
      return { kind: 'waiting', taskIds: cause.taskIds, detail: cause.detail };
    case 'failure': {
      const cap = guard.agentCapReached;
      return cap ? { kind: 'cap', cap: 'maxAgents', detail: cap.detail } : { kind: 'failure', taskId: cause.taskId, detail: cause.detail };
    }
  }
}
