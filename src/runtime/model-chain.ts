import type { CallTags, GenerateObjectRequest, GenerateObjectResult, GenerateRequest, GenerateResult, Model, StreamPart } from '../model/types.js';
import { mergeCallTags } from '../model/types.js';
import type { BudgetTracker } from './budget.js';
import type { CallLog } from './call-log.js';

/**
 * The one model middleware chain. Every model call the engine makes (agents, planner, synthesizer,
 * strategies' bids, votes and splits) passes these links, outermost first:
 *
 * ```
 *   tags     the node the call serves (run, task, agent), put on the request's events
 *   slot     one of the runtime's concurrency slots, held for the call (a stream: until it ends)
 *   budget   reserve before the call (refused once a budget is reached), record the usage after it
 *   log      the call's usage and cost, logged to its node of the run tree
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
  readonly slot?: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly budget?: BudgetTracker;
  readonly log?: CallLog;
}

/** `model` behind the links `chain` names, in the fixed order above. */
export function chainModel(model: Model, chain: ModelChain): Model {
  let wrapped = model;
  if (chain.log) wrapped = withCallLog(wrapped, chain.log, chain.tags?.agent);
  if (chain.budget) wrapped = withBudget(wrapped, chain.budget);
  if (chain.slot) wrapped = withSlot(wrapped, chain.slot);
  if (chain.tags) wrapped = withTags(wrapped, chain.tags);
  return wrapped;
}

/** A model with the same identity whose three calls are `around` the inner model's. */
function wrap(model: Model, calls: Pick<Model, 'generate' | 'generateObject' | 'stream'>): Model {
  return { provider: model.provider, modelId: model.modelId, ...calls };
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

/**
 * Reserves a call against `budget` before it (throwing `BudgetExceededError` once a budget is reached,
 * before anything reaches the provider) and records its usage and cost after it. A `generateObject`
 * counts as one call even when it re-asks the model to repair its output.
 */
export function withBudget(model: Model, budget: BudgetTracker): Model {
  return wrap(model, {
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      budget.reserve();
      const result = await model.generate(request);
      budget.record(result.usage, result.costUsd);
      return result;
    },
    async generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
      budget.reserve();
      const result = await model.generateObject(request);
      budget.record(result.usage, result.costUsd);
      return result;
    },
    async *stream(request: GenerateRequest): AsyncIterable<StreamPart> {
      budget.reserve();
      for await (const part of model.stream(request)) {
        if (part.type === 'finish') budget.record(part.result.usage, part.result.costUsd);
        yield part;
      }
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
