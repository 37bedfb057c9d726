export { createModel, providerFor } from './create-model.js';
export type { CreateModelOptions } from './create-model.js';
export { MODEL_SETUP_HELP, parseModelSpec, resolveModelSpec } from './spec.js';
export type {
  AnthropicModelConfig,
  CustomModelConfig,
  LangChainModelConfig,
  ModelEnv,
  ModelSpec,
  OpenAIModelConfig,
  ResolveModelSpecOptions,
  ResolvedModelSpec,
  ScriptedModelConfig,
} from './spec.js';
export { modelFromProvider } from './model.js';
export type { ModelWrapperOptions } from './model.js';
export { scriptedModel, ScriptError } from './scripted.js';
export type { ScriptedModel, ScriptedModelOptions, ScriptedReply, ScriptFn } from './scripted.js';
export { DEFAULT_PRICES, costOf, findPrice } from './pricing.js';
export type { ModelPrice, PriceTable } from './pricing.js';
export { countTokens, estimateInputTokens } from './tokens.js';
export { extractJson, formatIssues, jsonSchemaOf } from './structured.js';
export { isSchemaInput, SUPPORTED_SCHEMAS, toSchemaAdapter, zod3ToJsonSchema } from './schema-adapter.js';
export type { ParseOutcome, SchemaAdapter, SchemaInput, SchemaOutput, StandardSchemaLike, Zod3Like } from './schema-adapter.js';
export * from './types.js';
export * from './providers/index.js';
export * from './resilience/index.js';
export * from './cassette/index.js';
export { createUsageMeter } from './usage-meter.js';
export type { ModelUsageTotals, UsageMeter, UsageTotals } from './usage-meter.js';
