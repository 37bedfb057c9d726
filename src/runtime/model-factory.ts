import type { EventBus } from '../events/bus.js';
import { createModel, type CreateModelOptions } from '../model/create-model.js';
import { isAiSdkModel } from '../model/providers/ai-sdk.js';
import type { BreakerRegistry } from '../model/resilience/breaker.js';
import { resolveModelSpec, type ModelSpec } from '../model/spec.js';
import type { Clock } from '../util/clock.js';
import type { IdGenerator } from '../util/ids.js';
import type { Random } from '../util/random.js';
import type { ModelFactory } from './runtime-models.js';

/** The `createModel` options a runtime passes to every model it creates (events, clock, random, ids and breakers are its own). */
export type RuntimeModelOptions = Pick<CreateModelOptions, 'pricing' | 'resilience' | 'cassette' | 'env'>;

/**
 * `createModel` bound to the runtime's clock, random, ids, events and breaker registry (so every model
 * the factory creates shares one circuit breaker per endpoint).
 */
export function modelFactory(
  deps: { clock: Clock; random: Random; ids: IdGenerator; events: EventBus; breakers: BreakerRegistry },
  options: RuntimeModelOptions = {},
): ModelFactory<ModelSpec> {
  const env = options.env ?? process.env;
  return {
    create: (spec) => (isAiSdkModel(spec) ? createModel(spec, { ...options, ...deps }) : createModel(spec, { ...options, ...deps })),
    withModelId(spec, modelId) {
      if (isAiSdkModel(spec)) return undefined;
      // Resolving applies the environment defaults (TASKFORCE_MODEL, base URL, key), so the sibling
      // reaches the same endpoint with the same key as the model it derives from.
      const resolved = resolveModelSpec(spec, env, { requireApiKey: options.cassette?.mode !== 'replay' });
      return resolved.provider === 'anthropic' ? { ...resolved, model: modelId } : undefined;
    },
  };
}
