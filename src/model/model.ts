import type { EventBus } from '../events/bus.js';
import type { Clock } from '../util/clock.js';
import { systemClock } from '../util/clock.js';
import type { IdGenerator } from '../util/ids.js';
import { sequentialIds } from '../util/ids.js';
import { costOf, DEFAULT_PRICES, findPrice, type PriceTable } from './pricing.js';
import { generateObjectWith } from './structured.js';
import type {
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
import { requestMessages } from './types.js';

/** What `modelFromProvider` adds around a provider: prices, events, time, ids and event tags. */
export interface ModelWrapperOptions {
  /** Prices used for `costUsd`; merged over the defaults. */
  readonly pricing?: PriceTable;
  readonly events?: EventBus;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** Tags put on this model's call events (e.g. which task or agent it serves). */
  readonly tags?: { readonly taskId?: string; readonly agent?: string };
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

  const toProviderRequest = (request: GenerateRequest & { responseFormat?: ResponseFormat }): ProviderRequest => {
    const { prompt: _prompt, ...rest } = request;
    return { ...rest, messages: requestMessages(request) };
  };
  const priced = (result: ProviderResult): GenerateResult => ({
    ...result,
    costUsd: costOf(result.usage, findPrice(result.modelId, prices) ?? findPrice(provider.modelId, prices)),
  });
  const started = () => {
    const callId = ids.next('call');
    events?.emit({ type: 'model.call.started', callId, provider: provider.provider, model: provider.modelId, ...tags });
    return { callId, startedAt: clock.now() };
  };
  const finished = (call: { callId: string; startedAt: number }, result: GenerateResult) =>
    events?.emit({
      type: 'model.call.finished',
      callId: call.callId,
      provider: provider.provider,
      model: result.modelId,
      usage: result.usage,
      costUsd: result.costUsd,
      durationMs: clock.now() - call.startedAt,
      ...tags,
    });
  const failed = (call: { callId: string }, error: unknown) =>
    events?.emit({
      type: 'model.call.failed',
      callId: call.callId,
      provider: provider.provider,
      model: provider.modelId,
      error: error instanceof Error ? error.message : String(error),
      ...(typeof (error as { code?: unknown })?.code === 'string' ? { code: (error as { code: string }).code } : {}),
      ...(typeof (error as { status?: unknown })?.status === 'number' ? { status: (error as { status: number }).status } : {}),
    });

  const generate = async (request: GenerateRequest & { responseFormat?: ResponseFormat }): Promise<GenerateResult> => {
    const call = started();
    try {
      const result = priced(await provider.doGenerate({ ...toProviderRequest(request), callId: call.callId }));
      finished(call, result);
      return result;
    } catch (error) {
      failed(call, error);
      throw error;
    }
  };

  return {
    provider: provider.provider,
    modelId: provider.modelId,
    generate,
    async *stream(request: GenerateRequest): AsyncIterable<StreamPart> {
      const call = started();
      try {
        for await (const part of provider.doStream({ ...toProviderRequest(request), callId: call.callId })) {
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
        ...(events ? { events } : {}),
      });
    },
  };
}
