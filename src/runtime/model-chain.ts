import type { EventBus } from '../events/bus.js';
import { generateObjectWith } from '../model/structured.js';
import { estimateInputTokens } from '../model/tokens.js';
import type { CallTags, GenerateObjectRequest, GenerateObjectResult, GenerateRequest, GenerateResult, Model, StreamPart } from '../model/types.js';
import { mergeCallTags, requestMessages } from '../model/types.js';
import { ZERO_USAGE, type Usage } from '../util/usage.js';
import type { BudgetTracker, CallEstimate, Reservation } from './budget.js';
import type { CallLog } from './call-log.js';

/**
 * The one model middleware chain. Every model call the engine makes (agents, planner, synthesizer,
 * strategies' bids, votes and splits) passes these links, outermost first:
 *
 * ```
 *   tags     the node the call serves (run, task, agent), put on the request's events
 *   gate     awaited before the call: a run's own pacing (a stream's backpressure), if it has one
 *   slot     one of the runtime's concurrency slots, held for the call (a stream: until it ends)
 *   budget   reserve the call's worst case before it (refused when it cannot fit), settle with its
 *            real usage after it; a generateObject is reserved attempt by attempt
 *   log      the call's usage and cost, logged to its node of the run tree
 *   journal  a durable run's journal: a call an earlier process completed is answered from it
 *   ─── Model (createModel): events, pricing, structured output with repair
 *         └ resilience: retries, rate limits, circuit breaker, timeout
 *           └ cassette: record / replay
 *             └ provider SDK
 * ```
 *
 * The runtime keeps its models before this chain (`RuntimeModels.base`) and every caller builds its
 * chain from those, once: so no call can be charged twice, and no marker is needed to prevent it.
 */
export interface ModelChain {
  readonly tags?: CallTags;
  /** Awaited before each call, outside the slot: a run's pacing (e.g. a stream waiting for its reader). */
  readonly gate?: () => Promise<void>;
  readonly slot?: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly budget?: BudgetTracker;
  readonly log?: CallLog;
  /** Where a budgeted `generateObject` reports its re-asks (`model.repair`). */
  readonly events?: EventBus;
  /** The innermost link, if any: a durable run's journal, answering calls an earlier process made. */
  readonly journal?: (model: Model) => Model;
}

/** `model` behind the links `chain` names, in the fixed order above. */
export function chainModel(model: Model, chain: ModelChain): Model {
  let wrapped = chain.journal ? chain.journal(model) : model;
  if (chain.log) wrapped = withCallLog(wrapped, chain.log, chain.tags?.agent);
  if (chain.budget) wrapped = withBudget(wrapped, chain.budget, chain.events);
  if (chain.slot) wrapped = withSlot(wrapped, chain.slot);
  if (chain.gate) wrapped = withGate(wrapped, chain.gate);
  if (chain.tags) wrapped = withTags(wrapped, chain.tags);
  return wrapped;
}

/** A model with the same identity whose three calls are `around` the inner model's. */
function wrap(model: Model, calls: Pick<Model, 'generate' | 'generateObject' | 'stream'>): Model {
  return { provider: model.provider, modelId: model.modelId, ...(model.price ? { price: model.price } : {}), ...calls };
}

/** Puts `tags` on every request; tags the caller set on a request win. */
export function withTags(model: Model, tags: CallTags): Model {
  const tagged = <R extends GenerateRequest>(request: R): R => ({ ...request, tags: mergeCallTags(tags, request.tags) });
  return wrap(model, {
    generate: (request) => model.generate(tagged(request)),
    generateObject: (request) => model.generateObject(tagged(request)),
    stream: (request) => model.stream(tagged(request)),
  });
}

/** The output cap reserved for a call that sets none (and sent to the provider, so the reservation holds). */
export const DEFAULT_RESERVED_OUTPUT_TOKENS = 4096;

/**
 * Reserves each call's worst case against `budget` before it is made (input tokens estimated, plus
 * its `maxTokens` or, when it sets none, `DEFAULT_RESERVED_OUTPUT_TOKENS` lowered to what is left and
 * then sent as its `maxTokens`), priced at the model's price; refuses it with `BudgetExceededError`
 * when it cannot fit; and settles the reservation with the usage the call reports, failed calls
 * included. A `generateObject` is reserved attempt by attempt, so its re-asks are charged too.
 */
export function withBudget(model: Model, budget: BudgetTracker, events?: EventBus): Model {
  let objects = 0;
  const estimateOf = (request: GenerateRequest): CallEstimate | undefined =>
    budget.capsSpend
      ? {
          inputTokens: estimateInputTokens({ ...(request.system !== undefined ? { system: request.system } : {}), messages: requestMessages(request), ...(request.tools ? { tools: request.tools } : {}) }),
          ...(request.maxTokens !== undefined ? { maxOutputTokens: request.maxTokens } : {}),
          defaultOutputTokens: DEFAULT_RESERVED_OUTPUT_TOKENS,
          ...(model.price ? { price: model.price } : {}),
        }
      : undefined;
  /** The request as sent: with the reserved output cap when it set none and a spend budget applies. */
  const capped = <R extends GenerateRequest>(request: R, reservation: Reservation): R =>
    request.maxTokens === undefined && budget.capsSpend ? { ...request, maxTokens: reservation.maxOutputTokens } : request;
  // Reactions, not an async function: thousands of calls may wait at once, each holding a frame.
  const generate = (request: GenerateRequest): Promise<GenerateResult> => {
    try {
      return budget.reserve(estimateOf(request), request.signal).then((reservation) => settledCall(reservation, request));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  /** The call under `reservation`, which it settles with the usage the call reports, failed or not. */
  const settledCall = (reservation: Reservation, request: GenerateRequest): Promise<GenerateResult> => {
    let sent: Promise<GenerateResult>;
    try {
      sent = model.generate(capped(request, reservation));
    } catch (error) {
      settleFailed(reservation, error);
      throw error;
    }
    return Promise.resolve(sent).then(
      (result) => {
        reservation.settle(result.usage, result.costUsd);
        return result;
      },
      (error: unknown) => {
        settleFailed(reservation, error);
        throw error;
      },
    );
  };
  return wrap(model, {
    generate,
    generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
      objects += 1;
      return generateObjectWith(generate, request, {
        provider: model.provider,
        callId: `${model.provider}:object#${objects}`,
        ...(request.tags ? { tags: request.tags } : {}),
        ...(events ? { events } : {}),
      });
    },
    async *stream(request: GenerateRequest): AsyncIterable<StreamPart> {
      const reservation = await budget.reserve(estimateOf(request), request.signal);
      let settled = false;
      try {
        for await (const part of model.stream(capped(request, reservation))) {
          if (part.type === 'finish') {
            reservation.settle(part.result.usage, part.result.costUsd);
            settled = true;
          }
          yield part;
        }
      } catch (error) {
        settleFailed(reservation, error);
        throw error;
      } finally {
        // A caller that stops iterating early: nothing was reported, so nothing is charged.
        if (!settled) reservation.settle(ZERO_USAGE, 0);
      }
    },
  });
}

/** Settles a failed call with the usage its error reports (a provider that billed a failed call), else zero. */
function settleFailed(reservation: Reservation, error: unknown): void {
  const reported = error as { usage?: Usage; costUsd?: number } | null;
  reservation.settle(reported?.usage ?? ZERO_USAGE, typeof reported?.costUsd === 'number' ? reported.costUsd : 0);
}

/** Awaits `gate` before each call (and before a stream starts). */
export function withGate(model: Model, gate: () => Promise<void>): Model {
  return wrap(model, {
    generate: async (request) => (await gate(), model.generate(request)),
    generateObject: async (request) => (await gate(), model.generateObject(request)),
    async *stream(request: GenerateRequest): AsyncIterable<StreamPart> {
      await gate();
      yield* model.stream(request);
    },
  });
}

/**
 * Holds one slot for the duration of each call. The slot is held per model call, not per agent run:
 * an agent that delegates waits for its sub-run without holding one, so nested runs cannot deadlock.
 */
export function withSlot(model: Model, slot: <T>(fn: () => Promise<T>) => Promise<T>): Model {
  return wrap(model, {
    generate: (request) => slot(() => model.generate(request)),
    generateObject: (request) => slot(() => model.generateObject(request)),
    async *stream(request: GenerateRequest): AsyncIterable<StreamPart> {
      // Enter the slot, then keep it until the caller stops iterating.
      let leave!: () => void;
      const left = new Promise<void>((resolve) => (leave = resolve));
      let entered!: () => void;
      const inSlot = new Promise<void>((resolve) => (entered = resolve));
      const held = slot(async () => {
        entered();
        await left;
      });
      await Promise.race([inSlot, held]);
      try {
        yield* model.stream(request);
      } finally {
        leave();
        await held;
      }
    },
  });
}

/** Logs each finished call's usage and cost to `log` (with `agent`, when the calls serve one). */
export function withCallLog(model: Model, log: CallLog, agent?: string): Model {
  const add = (result: { usage: GenerateResult['usage']; costUsd: number }, modelId: string) =>
    log.add({ provider: model.provider, model: modelId, usage: result.usage, costUsd: result.costUsd, ...(agent !== undefined ? { agent } : {}) });
  return wrap(model, {
    async generate(request) {
      const result = await model.generate(request);
      add(result, result.modelId);
      return result;
    },
    async generateObject(request) {
      const result = await model.generateObject(request);
      add(result, model.modelId);
      return result;
    },
    async *stream(request) {
      for await (const part of model.stream(request)) {
        if (part.type === 'finish') add(part.result, part.result.modelId);
        yield part;
      }
    },
  });
}
