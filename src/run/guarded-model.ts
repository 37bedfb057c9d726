import type { GenerateObjectRequest, GenerateObjectResult, GenerateRequest, GenerateResult, Model, StreamPart } from '../model/types.js';
import type { BudgetTracker } from './budget.js';

const GUARDED_BY = Symbol.for('taskforce.guardedBy');
type GuardedModel = Model & { readonly [GUARDED_BY]?: BudgetTracker };

/**
 * Wraps a model so every call goes through the runtime's budget: `reserve()` before the call (which
 * throws `BudgetExceededError` once any budget is reached, and counts the call so parallel callers
 * cannot all slip under `maxModelCalls`), `record(usage, cost)` after it.
 *
 * A `generateObject` call counts as one reserved call even when it re-asks the model to repair its
 * output; the usage of every attempt is recorded.
 */
export function guardedModel(model: Model, budget: BudgetTracker): Model {
  // Guarding twice with the same budget would count every call twice.
  if ((model as GuardedModel)[GUARDED_BY] === budget) return model;
  const guarded: GuardedModel = {
    [GUARDED_BY]: budget,
    provider: model.provider,
    modelId: model.modelId,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      budget.reserve();
      const result = await model.generate(request);
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
    async generateObject<T>(request: GenerateObjectRequest<T>): Promise<GenerateObjectResult<T>> {
      budget.reserve();
      const result = await model.generateObject(request);
      budget.record(result.usage, result.costUsd);
      return result;
    },
  };
  return guarded;
}
