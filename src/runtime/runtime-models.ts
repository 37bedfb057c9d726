import type { AgentDefinition } from '../agents/types.js';
import { ConfigError } from '../errors/taskforce-error.js';
import type { EventBus } from '../events/bus.js';
import type { AiSdkLanguageModel } from '../model/providers/ai-sdk.js';
import type { Model } from '../model/types.js';
import type { BudgetTracker } from './budget.js';
import { chainModel } from './model-chain.js';
import type { RoleModels, RuntimeModels } from './runtime-types.js';

/**
 * The model ids the Claude Code aliases in agent files stand for, when the worker model is an
 * Anthropic model. Other providers have no equivalent, so there the alias falls back to the worker.
 */
export const CLAUDE_MODEL_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  sonnet: 'claude-sonnet-5-5',
  opus: 'claude-opus-5-5',
  haiku: 'claude-haiku-5-5',
});

/**
 * How a model is named in configuration: a ready `Model`, a spec (`"openai:gpt-4o-mini"`) / config for
 * `createModel`, or a Vercel AI SDK language model (wrapped by `createModel`).
 */
export type ModelInput<Config> = Model | string | Config | AiSdkLanguageModel;

/** Builds models from specs; the runtime passes `createModel` bound to its clock, events and random. */
export interface ModelFactory<Config> {
  /** `undefined` = the environment's default model (`TASKFORCE_MODEL`). */
  create(input: string | Config | AiSdkLanguageModel | undefined): Model;
  /** An Anthropic spec with `input`'s connection settings and another model id; undefined for other providers. */
  withModelId(input: string | Config | AiSdkLanguageModel | undefined, modelId: string): Config | undefined;
}

export interface RuntimeModelsConfig<Config> {
  readonly model?: ModelInput<Config>;
  readonly models?: {
    readonly planner?: ModelInput<Config>;
    readonly worker?: ModelInput<Config>;
    readonly synthesizer?: ModelInput<Config>;
  };
}

/**
 * The runtime's models by role: `base` as built, and the same behind the runtime's chain (a slot per
 * call and the runtime's budget; see `chainModel`). `models.worker` falls back to `model`;
 * planner and synthesizer fall back to the worker. `forAgent` resolves an agent's `model` field:
 *
 * | agent `model`            | model used                                                        |
 * | ------------------------ | ----------------------------------------------------------------- |
 * | absent, `inherit`        | the worker model                                                  |
 * | `sonnet`/`opus`/`haiku`  | Anthropic worker: that family's current id (`CLAUDE_MODEL_ALIASES`) with the worker's connection settings; otherwise the worker, plus a `log` warning |
 * | `provider:model` spec    | `createModel(spec)`                                               |
 *
 * Each distinct resolved model is created once per runtime.
 */
export function createRuntimeModels<Config>(
  config: RuntimeModelsConfig<Config>,
  deps: { factory: ModelFactory<Config>; budget: BudgetTracker; slot: <T>(fn: () => Promise<T>) => Promise<T>; events: EventBus },
): RuntimeModels {
  // Absent: the factory falls back to the environment (TASKFORCE_MODEL), as `createModel()` does.
  const workerInput = config.models?.worker ?? config.model;
  const build = (input: ModelInput<Config> | undefined): Model => (isModel(input) ? input : deps.factory.create(input));
  const worker = build(workerInput);
  const planner = config.models?.planner !== undefined ? build(config.models.planner) : worker;
  const synthesizer = config.models?.synthesizer !== undefined ? build(config.models.synthesizer) : worker;
  const byKey = new Map<string, Model>();
  const warned = new Set<string>();

  const cached = (key: string, make: () => Model): Model => {
    let model = byKey.get(key);
    if (!model) {
      model = make();
      byKey.set(key, model);
    }
    return model;
  };
  const fallBack = (agent: AgentDefinition, alias: string, why: string): Model => {
    if (!warned.has(`${agent.name}:${alias}`)) {
      warned.add(`${agent.name}:${alias}`);
      deps.events.emit({
        type: 'log',
        level: 'warn',
        message: `agent "${agent.name}" asks for model "${alias}", a Claude alias, but ${why}; using the worker model ${worker.provider}:${worker.modelId}`,
      });
    }
    return worker;
  };

  const base: RoleModels = {
    planner,
    worker,
    synthesizer,
    forAgent(agent) {
      const wanted = agent.model?.trim();
      if (!wanted || wanted === 'inherit') return worker;
      const aliasId = CLAUDE_MODEL_ALIASES[wanted.toLowerCase()];
      if (aliasId !== undefined) {
        // Same model as the worker: share it (and its rate limiter) rather than build a twin.
        if (worker.provider === 'anthropic' && worker.modelId === aliasId) return worker;
        if (worker.provider !== 'anthropic') return fallBack(agent, wanted, 'the worker model is not an Anthropic model');
        if (isModel(workerInput)) return fallBack(agent, wanted, 'the worker was given as a Model object, whose connection settings cannot be reused');
        const sibling = deps.factory.withModelId(workerInput, aliasId);
        if (sibling === undefined) return fallBack(agent, wanted, 'the worker spec is not an Anthropic spec');
        return cached(`alias:${aliasId}`, () => build(sibling));
      }
      try {
        return cached(`spec:${wanted}`, () => build(wanted as Config | string));
      } catch (error) {
        throw new ConfigError(`agent "${agent.name}" (${agent.source}): model "${wanted}" cannot be used: ${(error as Error).message}`, {
          cause: error,
        });
      }
    },
  };
  const budgeted = new Map<Model, Model>();
  const charged = (model: Model): Model => {
    let chained = budgeted.get(model);
    if (!chained) {
      chained = chainModel(model, { budget: deps.budget, slot: deps.slot, events: deps.events });
      budgeted.set(model, chained);
    }
    return chained;
  };
  return {
    base,
    planner: charged(planner),
    worker: charged(worker),
    synthesizer: charged(synthesizer),
    forAgent: (agent) => charged(base.forAgent(agent)),
  };
}

function isModel(value: unknown): value is Model {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Model).generate === 'function' &&
    typeof (value as Model).generateObject === 'function'
  );
}
