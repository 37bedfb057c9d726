import type { EventBus } from '../events/bus.js';
import type { Clock } from '../util/clock.js';
import { systemClock } from '../util/clock.js';
import type { IdGenerator } from '../util/ids.js';
import type { Random } from '../util/random.js';
import { systemRandom } from '../util/random.js';
import { withCassette, type CassetteOptions } from './cassette/index.js';
import { modelFromProvider } from './model.js';
import type { PriceTable } from './pricing.js';
import { anthropicProvider } from './providers/anthropic.js';
import { langchainProvider } from './providers/langchain.js';
import { openaiProvider } from './providers/openai.js';
import { withResilience, type BreakerRegistry, type ResilienceOptions } from './resilience/index.js';
import { aiSdkProvider, isAiSdkModel, type AiSdkLanguageModel } from './providers/ai-sdk.js';
import { scriptedModel } from './scripted.js';
import { resolveModelSpec, type ModelEnv, type ModelSpec, type ResolvedModelSpec } from './spec.js';
import type { CallTags, Model, ProviderModel } from './types.js';

/** Everything around the provider: prices, retries and limits, recording, events, time and ids. */
export interface CreateModelOptions {
  /** Prices for `costUsd`, merged over the defaults. */
  readonly pricing?: PriceTable;
  /** Retries, rate limits, breaker, timeout; defaults apply when omitted. */
  readonly resilience?: ResilienceOptions;
  /**
   * Circuit breakers shared by endpoint (`createBreakerRegistry()`): models given the same registry
   * that call the same endpoint share one breaker, so when it opens for one it opens for all. Absent:
   * this model gets a breaker of its own. The first model to use an endpoint fixes its breaker settings.
   */
  readonly breakers?: BreakerRegistry;
  /** Record provider replies to a file, or replay them offline (replay needs no API key). */
  readonly cassette?: CassetteOptions;
  readonly events?: EventBus;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly ids?: IdGenerator;
  /** Tags put on this model's call events. */
  readonly tags?: CallTags;
  /** Where `TASKFORCE_MODEL`, `*_API_KEY` and `*_BASE_URL` are read; default `process.env`. */
  readonly env?: ModelEnv;
}

/**
 * Creates a `Model` from a spec: `"anthropic:claude-haiku-4-5"`, `"openai:gpt-5-mini"`, a config
 * object, or nothing (then `TASKFORCE_MODEL`). The provider adapter is wrapped, innermost first, by
 * the cassette (so replayed calls still pass through retries and emit events, and recording keeps
 * what the provider really returned), then resilience, then pricing / events / `generateObject`.
 *
 * @example
 * const model = createModel('anthropic:claude-haiku-4-5');
 * const { text, costUsd } = await model.generate({ prompt: 'Name three primes.' });
 *
 * @example
 * // A local OpenAI-compatible server
 * const local = createModel({ provider: 'openai', model: 'llama3.2', baseURL: 'http://localhost:11434/v1' });
 *
 * @example
 * // Any Vercel AI SDK language model (v2 or v3 spec)
 * import { createOpenAI } from '@ai-sdk/openai';
 * const viaAiSdk = createModel(createOpenAI({ apiKey }).chat('gpt-4o-mini'));
 */
export function createModel(spec?: ModelSpec, options?: CreateModelOptions): Model;
export function createModel(model: AiSdkLanguageModel, options?: CreateModelOptions): Model;
export function createModel(spec?: ModelSpec | AiSdkLanguageModel, options: CreateModelOptions = {}): Model {
  const clock = options.clock ?? systemClock();
  // A replayed call never reaches the provider, so replay needs no API key.
  const resolved = resolveModelSpec(spec, options.env ?? process.env, { requireApiKey: options.cassette?.mode !== 'replay' });
  const adapter = providerFor(resolved, clock);
  const recorded = withCassette(adapter, options.cassette);
  const resilient = withResilience(recorded, options.resilience ?? {}, {
    clock,
    random: options.random ?? systemRandom(),
    ...(options.events ? { events: options.events } : {}),
    ...(options.breakers ? { breakers: options.breakers } : {}),
  });
  return modelFromProvider(resilient, {
    clock,
    ...(options.pricing ? { pricing: options.pricing } : {}),
    ...(options.events ? { events: options.events } : {}),
    ...(options.ids ? { ids: options.ids } : {}),
    ...(options.tags ? { tags: options.tags } : {}),
  });
}

/** The bare provider adapter for a resolved spec (no cassette, resilience or pricing). */
export function providerFor(spec: ResolvedModelSpec, clock: Clock = systemClock()): ProviderModel {
  if (isAiSdkModel(spec.provider)) return aiSdkProvider(spec.provider, { clock });
  if (typeof spec.provider === 'object') return spec.provider;
  switch (spec.provider) {
    case 'anthropic':
      return anthropicProvider({
        model: spec.model,
        apiKey: spec.apiKey,
        baseURL: spec.baseURL,
        clock,
        ...(spec.defaultMaxTokens !== undefined ? { defaultMaxTokens: spec.defaultMaxTokens } : {}),
        ...(spec.headers ? { headers: spec.headers } : {}),
      });
    case 'openai':
      return openaiProvider({
        model: spec.model,
        apiKey: spec.apiKey,
        baseURL: spec.baseURL,
        clock,
        ...(spec.organization ? { organization: spec.organization } : {}),
        ...(spec.maxTokensField ? { maxTokensField: spec.maxTokensField } : {}),
        ...(spec.headers ? { headers: spec.headers } : {}),
      });
    case 'langchain':
      return langchainProvider({ model: spec.model, clock, ...(spec.modelId ? { modelId: spec.modelId } : {}) });
    case 'scripted': {
      const { provider: _provider, ...scripted } = spec;
      return scriptedModel({ clock, ...scripted });
    }
  }
}
