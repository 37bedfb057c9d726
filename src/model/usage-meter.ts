import type { EventBus } from '../events/bus.js';
import type { EventOf } from '../events/types.js';
import { addUsage, ZERO_USAGE, type Usage } from './types.js';

/** Usage and cost of a set of model calls. */
export interface UsageTotals {
  /** Calls that finished with a result. */
  readonly calls: number;
  /** Calls that ended in an error (after the resilience layer's retries). */
  readonly failedCalls: number;
  /** Retries the resilience layer made. */
  readonly retries: number;
  /** Tokens by kind, summed. */
  readonly usage: Usage;
  readonly costUsd: number;
}

/** Totals for one model. */
export interface ModelUsageTotals extends UsageTotals {
  readonly provider: string;
  readonly model: string;
}

/** Sums the model events of a bus while attached. */
export interface UsageMeter {
  /** Totals over every model. */
  totals(): UsageTotals;
  /** Totals per configured model (`provider` + `model`), in the order models were first seen. */
  byModel(): readonly ModelUsageTotals[];
  /** Stops listening; the totals so far stay readable. */
  stop(): void;
}

/**
 * Aggregates `model.call.finished` (usage, cost, calls), `model.call.failed` and `model.retry` events
 * into totals overall and per model, so a run can report what it used.
 *
 * @example
 * ```ts
 * const meter = createUsageMeter(events);
 * await model.generate({ prompt: 'Hi' });
 * console.log(meter.totals().costUsd, meter.byModel());
 * ```
 */
export function createUsageMeter(events: EventBus): UsageMeter {
  const perModel = new Map<string, ModelUsageTotals>();
  const entry = (provider: string, model: string) => {
    const key = `${provider}/${model}`;
    const found = perModel.get(key);
    if (found) return { key, found };
    const fresh: ModelUsageTotals = { provider, model, ...EMPTY };
    perModel.set(key, fresh);
    return { key, found: fresh };
  };
  const update = (provider: string, model: string, change: (t: ModelUsageTotals) => ModelUsageTotals) => {
    const { key, found } = entry(provider, model);
    perModel.set(key, change(found));
  };
  // `model.call.finished` names the model the provider reported (often a dated id); key every event by
  // the configured id from `model.call.started`, so one model's calls, failures and retries stay together.
  const configured = new Map<string, string>();
  const modelOf = (callId: string, fallback: string) => configured.get(callId) ?? fallback;
  const onFinished = (e: EventOf<'model.call.finished'>) => {
    update(e.provider, modelOf(e.callId, e.model), (t) => ({ ...t, calls: t.calls + 1, usage: addUsage(t.usage, e.usage), costUsd: t.costUsd + e.costUsd }));
    configured.delete(e.callId);
  };
  const onFailed = (e: EventOf<'model.call.failed'>) => {
    update(e.provider, modelOf(e.callId, e.model), (t) => ({ ...t, failedCalls: t.failedCalls + 1 }));
    configured.delete(e.callId);
  };
  const stops = [
    events.onType('model.call.started', (e) => void configured.set(e.callId, e.model)),
    events.onType('model.call.finished', onFinished),
    events.onType('model.call.failed', onFailed),
    events.onType('model.retry', (e) => update(e.provider, modelOf(e.callId, e.model), (t) => ({ ...t, retries: t.retries + 1 }))),
  ];
  return {
    totals() {
      let total: UsageTotals = EMPTY;
      for (const t of perModel.values())
        total = {
          calls: total.calls + t.calls,
          failedCalls: total.failedCalls + t.failedCalls,
          retries: total.retries + t.retries,
          usage: addUsage(total.usage, t.usage),
          costUsd: total.costUsd + t.costUsd,
        };
      return total;
    },
    byModel: () => [...perModel.values()],
    stop() {
      for (const stop of stops.splice(0)) stop();
    },
  };
}

const EMPTY: UsageTotals = Object.freeze({ calls: 0, failedCalls: 0, retries: 0, usage: ZERO_USAGE, costUsd: 0 });
