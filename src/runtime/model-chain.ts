import type { EventBus } from '../events/bus.js';
import { generateObjectWith } from '../model/structured.js';
import { estimateInputTokens } from '../model/tokens.js';
import type { CallTags, GenerateObjectRequest, GenerateObjectResult, GenerateRequest, GenerateResult, Model, StreamPart } from '../model/types.js';
import { mergeCallTags, requestMessages } from '../model/types.js';
import { ZERO_USAGE, type Usage } from '../util/usage.js';
import { copyWith } from '../util/copy-with.js';
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

/**
 * A link of the chain: a model with the same identity whose calls go around `inner`'s. Links are
 * classes because a run builds a chain per task (its tags and call log are the task's): their methods
 * are shared rather than a set of closures per link.
 */
abstract class ModelLink implements Model {
  readonly provider: string;
  readonly modelId: string;
  declare readonly price?: Model['price'];

  constructor(protected readonly inner: Model) {
    this.provider = inner.provider;
    this.modelId = inner.modelId;
    if (inner.price) this.price = inner.price;
  }

  abstract generate(request: GenerateRequest): Promise<GenerateResult>;
  abstract generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>>;
  abstract stream(request: GenerateRequest): AsyncIterable<StreamPart>;
}

/** Puts `tags` on every request; tags the caller set on a request win. */
export function withTags(model: Model, tags: CallTags): Model {
  return new TagsLink(model, tags);
}

class TagsLink extends ModelLink {
  constructor(
    inner: Model,
    private readonly tags: CallTags,
  ) {
    super(inner);
  }

  private tagged<R extends GenerateRequest>(request: R): R {
    return copyWith(request, 'tags', mergeCallTags(this.tags, request.tags)) as R;
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    return this.inner.generate(this.tagged(request));
  }

  generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
    return this.inner.generateObject(this.tagged(request));
  }

  stream(request: GenerateRequest): AsyncIterable<StreamPart> {
    return this.inner.stream(this.tagged(request));
  }
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
  return new BudgetLink(model, budget, events);
}

class BudgetLink extends ModelLink {
  private objects = 0;

  constructor(
    inner: Model,
    private readonly budget: BudgetTracker,
    private readonly events: EventBus | undefined,
  ) {
    super(inner);
  }

  private estimateOf(request: GenerateRequest): CallEstimate | undefined {
    if (!this.budget.capsSpend) return undefined;
    // Fields set one by one: conditional spreads in a literal take a slow path, on every call.
    const estimate: { -readonly [K in keyof CallEstimate]: CallEstimate[K] } = {
      inputTokens: estimateInputTokens({ system: request.system, messages: requestMessages(request), tools: request.tools }),
      defaultOutputTokens: DEFAULT_RESERVED_OUTPUT_TOKENS,
    };
    if (request.maxTokens !== undefined) estimate.maxOutputTokens = request.maxTokens;
    if (this.price) estimate.price = this.price;
    return estimate;
  }

  /** The request as sent: with the reserved output cap when it set none and a spend budget applies. */
  private capped<R extends GenerateRequest>(request: R, reservation: Reservation): R {
    return request.maxTokens === undefined && this.budget.capsSpend ? (copyWith(request, 'maxTokens', reservation.maxOutputTokens) as R) : request;
  }

  // Reactions, not an async function: thousands of calls may wait at once, each holding a frame.
  generate(request: GenerateRequest): Promise<GenerateResult> {
    try {
      const estimate = this.estimateOf(request);
      // Most calls fit at once: no promise to wait on then.
      const now = this.budget.tryReserve?.(estimate);
      if (now) return this.settledCall(now, request);
      return this.budget.reserve(estimate, request.signal).then((reservation) => this.settledCall(reservation, request));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The call under `reservation`, which it settles with the usage the call reports, failed or not. */
  private settledCall(reservation: Reservation, request: GenerateRequest): Promise<GenerateResult> {
    let sent: Promise<GenerateResult>;
    try {
      sent = this.inner.generate(this.capped(request, reservation));
    } catch (error) {
      settleFailed(reservation, error);
      return Promise.reject(error);
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
  }

  generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
    this.objects += 1;
    return generateObjectWith((attempt) => this.generate(attempt), request, {
      provider: this.provider,
      callId: `${this.provider}:object#${this.objects}`,
      ...(request.tags ? { tags: request.tags } : {}),
      ...(this.events ? { events: this.events } : {}),
    });
  }

  async *stream(request: GenerateRequest): AsyncIterable<StreamPart> {
    const reservation = await this.budget.reserve(this.estimateOf(request), request.signal);
    let settled = false;
    try {
      for await (const part of this.inner.stream(this.capped(request, reservation))) {
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
  }
}

/** Settles a failed call with the usage its error reports (a provider that billed a failed call), else zero. */
function settleFailed(reservation: Reservation, error: unknown): void {
  const reported = error as { usage?: Usage; costUsd?: number } | null;
  reservation.settle(reported?.usage ?? ZERO_USAGE, typeof reported?.costUsd === 'number' ? reported.costUsd : 0);
}

/** Awaits `gate` before each call (and before a stream starts). */
export function withGate(model: Model, gate: () => Promise<void>): Model {
  return new GateLink(model, gate);
}

class GateLink extends ModelLink {
  constructor(
    inner: Model,
    private readonly gate: () => Promise<void>,
  ) {
    super(inner);
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    await this.gate();
    return this.inner.generate(request);
  }

  async generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
    await this.gate();
    return this.inner.generateObject(request);
  }

  async *stream(request: GenerateRequest): AsyncIterable<StreamPart> {
    await this.gate();
    yield* this.inner.stream(request);
  }
}

/**
 * Holds one slot for the duration of each call. The slot is held per model call, not per agent run:
 * an agent that delegates waits for its sub-run without holding one, so nested runs cannot deadlock.
 */
export function withSlot(model: Model, slot: <T>(fn: () => Promise<T>) => Promise<T>): Model {
  return new SlotLink(model, slot);
}

class SlotLink extends ModelLink {
  constructor(
    inner: Model,
    private readonly slot: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {
    super(inner);
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    return this.slot(() => this.inner.generate(request));
  }

  generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
    return this.slot(() => this.inner.generateObject(request));
  }

  async *stream(request: GenerateRequest): AsyncIterable<StreamPart> {
    // Enter the slot, then keep it until the caller stops iterating.
    let leave!: () => void;
    const left = new Promise<void>((resolve) => (leave = resolve));
    let entered!: () => void;
    const inSlot = new Promise<void>((resolve) => (entered = resolve));
    const held = this.slot(async () => {
      entered();
      await left;
    });
    await Promise.race([inSlot, held]);
    try {
      yield* this.inner.stream(request);
    } finally {
      leave();
      await held;
    }
  }
}

/** Logs each finished call's usage and cost to `log` (with `agent`, when the calls serve one). */
export function withCallLog(model: Model, log: CallLog, agent?: string): Model {
  return new CallLogLink(model, log, agent);
}

class CallLogLink extends ModelLink {
  constructor(
    inner: Model,
    private readonly log: CallLog,
    private readonly agent: string | undefined,
  ) {
    super(inner);
  }

  private add(result: { usage: GenerateResult['usage']; costUsd: number }, modelId: string): void {
    const call: Parameters<CallLog['add']>[0] = { provider: this.provider, model: modelId, usage: result.usage, costUsd: result.costUsd };
    if (this.agent !== undefined) call.agent = this.agent;
    this.log.add(call);
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    try {
      return this.inner.generate(request).then((result) => {
        this.add(result, result.modelId);
        return result;
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
    const result = await this.inner.generateObject(request);
    this.add(result, this.modelId);
    return result;
  }

  async *stream(request: GenerateRequest): AsyncIterable<StreamPart> {
    for await (const part of this.inner.stream(request)) {
      if (part.type === 'finish') this.add(part.result, part.result.modelId);
      yield part;
    }
  }
}
