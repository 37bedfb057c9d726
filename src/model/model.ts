import type { EventBus } from '../events/bus.js';
import type { Clock } from '../util/clock.js';
import { systemClock } from '../util/clock.js';
import type { IdGenerator } from '../util/ids.js';
import { sequentialIds } from '../util/ids.js';
import { costOf, DEFAULT_PRICES, findPrice, type ModelPrice, type PriceTable } from './pricing.js';
import { generateObjectWith } from './structured.js';
import type {
  CallTags,
  GenerateObjectRequest,
  GenerateObjectResult,
  GenerateRequest,
  GenerateResult,
  Model,
  ProviderModel,
  ProviderRequest,
  ProviderResult,
  ResponseFormat,
  StreamPart,
} from './types.js';
import { mergeCallTags, requestMessages } from './types.js';
import { copyWith } from '../util/copy-with.js';

const NO_TAGS: CallTags = Object.freeze({});

/** What `modelFromProvider` adds around a provider: prices, events, time, ids and event tags. */
export interface ModelWrapperOptions {
  /** Prices used for `costUsd`; merged over the defaults. */
  readonly pricing?: PriceTable;
  readonly events?: EventBus;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** Tags put on this model's call events (e.g. which task or agent it serves); a request's own `tags` win. */
  readonly tags?: CallTags;
}

/**
 * Turns a provider adapter (already wrapped with resilience, recording, etc. as configured) into a
 * `Model`: resolves prompts to messages, prices usage, emits call events, adds `generateObject`.
 */
export function modelFromProvider(provider: ProviderModel, options: ModelWrapperOptions = {}): Model {
  const prices = options.pricing ? { ...DEFAULT_PRICES, ...options.pricing } : DEFAULT_PRICES;
  const clock = options.clock ?? systemClock();
  const ids = options.ids ?? sequentialIds();
  const events = options.events;
  const tags = options.tags ?? {};

  // The request without `prompt` and `tags`, in one pass (an object rest and a spread were two, and
  // several times slower on every call).
  const toProviderRequest = (request: GenerateRequest & { responseFormat?: ResponseFormat }, callId: string): ProviderRequest => {
    const out: Record<string, unknown> = {};
    for (const key in request) if (key !== 'prompt' && key !== 'tags' && Object.hasOwn(request, key)) out[key] = request[key as keyof typeof request];
    out.messages = requestMessages(request);
    out.callId = callId;
    return out as unknown as ProviderRequest;
  };
  // A reply names its model id (often the same one every time): its price is looked up once.
  const priceById = new Map<string, ModelPrice | undefined>();
  const priceOf = (modelId: string): ModelPrice | undefined => {
    if (!priceById.has(modelId)) priceById.set(modelId, findPrice(modelId, prices) ?? findPrice(provider.modelId, prices));
    return priceById.get(modelId);
  };
  const priced = (result: ProviderResult): GenerateResult => copyWith(result, 'costUsd', costOf(result.usage, priceOf(result.modelId)));
  type Call = { readonly callId: string; readonly startedAt: number; readonly tags: CallTags };
  // Events are built only when someone listens: a call's tags, and the event objects, are not free.
  const observed = () => events !== undefined && events.hasListeners();
  const started = (request: GenerateRequest): Call => {
    const callId = ids.next('call');
    if (!observed()) return { callId, startedAt: 0, tags: NO_TAGS };
    const callTags = mergeCallTags(tags, request.tags);
    events!.emit({ type: 'model.call.started', callId, provider: provider.provider, model: provider.modelId, ...callTags });
    return { callId, startedAt: clock.now(), tags: callTags };
  };
  // A call not observed when it started reports nothing when it ends, so started/finished stay paired.
  const finished = (call: Call, result: GenerateResult) =>
    call.tags !== NO_TAGS &&
    events!.emit({
      type: 'model.call.finished',
      callId: call.callId,
      provider: provider.provider,
      model: result.modelId,
      usage: result.usage,
      costUsd: result.costUsd,
      durationMs: clock.now() - call.startedAt,
      stopReason: result.stopReason,
      ...call.tags,
    });
  const failed = (call: Call, error: unknown) =>
    call.tags !== NO_TAGS &&
    events!.emit({
      type: 'model.call.failed',
      callId: call.callId,
      provider: provider.provider,
      model: provider.modelId,
      error: error instanceof Error ? error.message : String(error),
      ...(typeof (error as { code?: unknown })?.code === 'string' ? { code: (error as { code: string }).code } : {}),
      ...(typeof (error as { status?: unknown })?.status === 'number' ? { status: (error as { status: number }).status } : {}),
      ...call.tags,
    });

  // Reactions, not an async function: thousands of calls may wait at once, and each suspended frame
  // would hold several times what these two handlers do.
  const generate = (request: GenerateRequest & { responseFormat?: ResponseFormat }): Promise<GenerateResult> => {
    try {
      const call = started(request);
      const answered = sent(request, call.callId);
      // A call nobody observed reports nothing when it ends: it is only priced, by a handler every call shares.
      if (call.tags === NO_TAGS) return answered.then(priced);
      return answered.then(
        (reply) => settled(call, reply),
        (error: unknown) => {
          failed(call, error);
          throw error;
        },
      );
    } catch (error) {
      return Promise.reject(error);
    }
  };
  /** The provider's answer; a provider that throws at once fails the call as one that rejects does. */
  const sent = (request: GenerateRequest & { responseFormat?: ResponseFormat }, callId: string): Promise<ProviderResult> => {
    try {
      return Promise.resolve(provider.doGenerate(toProviderRequest(request, callId)));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  /** A reply priced and reported; a failure to do so is reported as the call's failure, as it would be thrown. */
  const settled = (call: Call, reply: ProviderResult): GenerateResult => {
    try {
      const result = priced(reply);
      finished(call, result);
      return result;
    } catch (error) {
      failed(call, error);
      throw error;
    }
  };

  const price = findPrice(provider.modelId, prices);
  return {
    provider: provider.provider,
    modelId: provider.modelId,
    ...(price ? { price: { input: price.input, output: price.output } } : {}),
    ...(provider.connect ? { connect: () => provider.connect!() } : {}),
    generate,
    async *stream(request: GenerateRequest): AsyncIterable<StreamPart> {
      const call = started(request);
      try {
        for await (const part of provider.doStream(toProviderRequest(request, call.callId))) {
          if (part.type === 'text-delta') {
            yield part;
          } else {
            const result = priced(part.result);
            finished(call, result);
            yield { type: 'finish', result };
          }
        }
      } catch (error) {
        failed(call, error);
        throw error;
      }
    },
    generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
      return generateObjectWith(generate, request, {
        provider: provider.provider,
        callId: ids.next('object'),
        tags: mergeCallTags(tags, request.tags),
        ...(events ? { events } : {}),
      });
    },
  };
}
