import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ConfigError } from '../errors/taskforce-error.js';
import { isAiSdkModel, type AiSdkLanguageModel } from './providers/ai-sdk.js';
import type { ScriptedModelOptions } from './scripted.js';
import type { ProviderModel } from './types.js';

/** An Anthropic model; key and base URL default to `ANTHROPIC_API_KEY` / `ANTHROPIC_BASE_URL`. */
export interface AnthropicModelConfig {
  readonly provider: 'anthropic';
  readonly model: string;
  readonly apiKey?: string;
  readonly baseURL?: string;
  /** `max_tokens` when a request sets none; default 4096. */
  readonly defaultMaxTokens?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * An OpenAI model, or any OpenAI-compatible server (Ollama, vLLM, LM Studio) via `baseURL`.
 * Key and base URL default to `OPENAI_API_KEY` / `OPENAI_BASE_URL`.
 */
export interface OpenAIModelConfig {
  readonly provider: 'openai';
  readonly model: string;
  readonly apiKey?: string;
  /** Including `/v1`, e.g. `http://localhost:11434/v1` for Ollama. */
  readonly baseURL?: string;
  readonly organization?: string;
  /** Some compatible servers want `max_tokens` instead of `max_completion_tokens` (the default). */
  readonly maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  readonly headers?: Readonly<Record<string, string>>;
}

/** A LangChain chat model (construct it with `maxRetries: 0`). */
export interface LangChainModelConfig {
  readonly provider: 'langchain';
  readonly model: BaseChatModel;
  /** Id used for pricing and events; default the model's own name. */
  readonly modelId?: string;
}

/** The deterministic scripted model, for tests and offline runs. */
export interface ScriptedModelConfig extends ScriptedModelOptions {
  readonly provider: 'scripted';
}

/** A custom adapter implementing `ProviderModel`, or a Vercel AI SDK language model (wrapped by `aiSdkProvider`). */
export interface CustomModelConfig {
  readonly provider: ProviderModel | AiSdkLanguageModel;
}

/**
 * What `createModel` accepts: `"anthropic:claude-haiku-4-5"`, `"openai:gpt-5-mini"`, or a config object.
 * In the string form the model id is everything after the first `:` (`"openai:llama3.2:3b"` works).
 */
export type ModelSpec =
  | string
  | AnthropicModelConfig
  | OpenAIModelConfig
  | LangChainModelConfig
  | ScriptedModelConfig
  | CustomModelConfig;

/** A spec with its environment defaults applied: everything needed to build the adapter. */
export type ResolvedModelSpec =
  | (AnthropicModelConfig & { readonly apiKey: string })
  | (OpenAIModelConfig & { readonly apiKey: string })
  | LangChainModelConfig
  | ScriptedModelConfig
  | CustomModelConfig;

/** Environment variables as the SDKs define them, plus `TASKFORCE_MODEL`. */
export type ModelEnv = Readonly<Record<string, string | undefined>>;

const STRING_PROVIDERS = ['anthropic', 'openai'] as const;
/**
 * Local OpenAI-compatible servers ignore the key but the SDK insists on one; this stands in when a
 * custom base URL is configured without `OPENAI_API_KEY`.
 */
const LOCAL_PLACEHOLDER_KEY = 'not-needed';
/** Stands in for a missing key when calls never reach the provider (cassette replay). */
const REPLAY_PLACEHOLDER_KEY = 'replay-only';

/** How strictly `resolveModelSpec` checks what a real call would need. */
export interface ResolveModelSpecOptions {
  /**
   * Whether a missing API key is an error; default true. `createModel` passes false in cassette replay
   * mode, where the provider is never called, so offline demos and CI need no key.
   */
  readonly requireApiKey?: boolean;
}

/** How to configure a model, shown whenever none is configured or a spec string is wrong. */
export const MODEL_SETUP_HELP = [
  'Configure a model in one of these ways:',
  '  Anthropic:   TASKFORCE_MODEL=anthropic:claude-haiku-4-5   and ANTHROPIC_API_KEY=sk-ant-...',
  '  OpenAI:      TASKFORCE_MODEL=openai:gpt-5-mini            and OPENAI_API_KEY=sk-...',
  '  Local OpenAI-compatible server (Ollama, vLLM, LM Studio):',
  '               TASKFORCE_MODEL=openai:llama3.2  and OPENAI_BASE_URL=http://localhost:11434/v1',
  '               (vLLM: http://localhost:8000/v1, LM Studio: http://localhost:1234/v1; no key needed)',
  "  In code:     createModel('openai:gpt-5-mini') or createModel({ provider: 'openai', model, baseURL, apiKey })",
  "  Offline:     createModel({ provider: 'scripted', replies: ['...'] }) — a deterministic model for tests",
].join('\n');

/** Splits `"provider:model"`; the provider must be one a string can name. */
export function parseModelSpec(text: string, source = 'model spec'): { provider: (typeof STRING_PROVIDERS)[number]; model: string } {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const provider = colon > 0 ? trimmed.slice(0, colon) : '';
  const model = colon > 0 ? trimmed.slice(colon + 1).trim() : '';
  if (!(STRING_PROVIDERS as readonly string[]).includes(provider) || !model)
    throw new ConfigError(
      `${source} "${text}" is not "<provider>:<model>" with provider ${STRING_PROVIDERS.map((p) => `"${p}"`).join(' or ')}.\n${MODEL_SETUP_HELP}`,
    );
  return { provider: provider as (typeof STRING_PROVIDERS)[number], model };
}

/**
 * Applies environment defaults to a spec. No spec reads `TASKFORCE_MODEL`; nothing at all is a
 * `ConfigError` that explains every way to configure a model. A missing API key names its variable
 * (unless `options.requireApiKey` is false).
 */
export function resolveModelSpec(spec: ModelSpec | AiSdkLanguageModel | undefined, env: ModelEnv, options: ResolveModelSpecOptions = {}): ResolvedModelSpec {
  const given = spec ?? modelFromEnv(env);
  const fallbackKey = options.requireApiKey === false ? REPLAY_PLACEHOLDER_KEY : undefined;
  // A Vercel AI SDK model, given bare or as `{ provider: model }`: wrapped in its adapter.
  if (isAiSdkModel(given)) return { provider: given };
  if (typeof given !== 'string' && (typeof given !== 'object' || given === null))
    throw new ConfigError(`model spec ${describeValue(given)} is not a model.\n${SUPPORTED_MODELS}`);
  const config = typeof given === 'string' ? parseModelSpec(given, spec === undefined ? 'TASKFORCE_MODEL' : 'model spec') : given;
  if (isAiSdkModel(config.provider)) return { provider: config.provider };
  if (typeof config.provider === 'object') {
    if (!isProviderModel(config.provider))
      throw new ConfigError(`model spec's provider ${describeValue(config.provider)} is not a model.\n${SUPPORTED_MODELS}`);
    return config as ResolvedModelSpec;
  }
  switch (config.provider) {
    case 'anthropic': {
      const c = config as AnthropicModelConfig;
      const apiKey = c.apiKey ?? nonEmpty(env.ANTHROPIC_API_KEY) ?? fallbackKey;
      if (!apiKey)
        throw new ConfigError(`Anthropic model "${c.model}" needs an API key: set ANTHROPIC_API_KEY (or pass apiKey).`);
      const baseURL = c.baseURL ?? nonEmpty(env.ANTHROPIC_BASE_URL);
      return { ...c, apiKey, ...(baseURL ? { baseURL } : {}) };
    }
    case 'openai': {
      const c = config as OpenAIModelConfig;
      const baseURL = c.baseURL ?? nonEmpty(env.OPENAI_BASE_URL);
      const apiKey = c.apiKey ?? nonEmpty(env.OPENAI_API_KEY) ?? (isOfficialOpenAI(baseURL) ? fallbackKey : LOCAL_PLACEHOLDER_KEY);
      if (!apiKey)
        throw new ConfigError(
          `OpenAI model "${c.model}" needs an API key: set OPENAI_API_KEY (or pass apiKey). ` +
            `For a local OpenAI-compatible server set OPENAI_BASE_URL (e.g. http://localhost:11434/v1) instead.`,
        );
      return { ...c, apiKey, ...(baseURL ? { baseURL } : {}) };
    }
    case 'langchain':
    case 'scripted':
      return config as LangChainModelConfig | ScriptedModelConfig;
    default:
      throw new ConfigError(
        `unknown model provider ${JSON.stringify((config as { provider: unknown }).provider)}: ` +
          `use "anthropic", "openai", "langchain", "scripted" or a ProviderModel object.\n${SUPPORTED_MODELS}\n${MODEL_SETUP_HELP}`,
      );
  }
}

/** What a model may be given as, for errors about something that is none of them. */
const SUPPORTED_MODELS = [
  'Supported models:',
  '  a spec string "anthropic:<model>" or "openai:<model>";',
  "  a config object { provider: 'anthropic' | 'openai' | 'langchain' | 'scripted', ... };",
  '  a Vercel AI SDK language model (specificationVersion "v2" or "v3", e.g. createOpenAI(...).chat(id)), bare or as { provider: model };',
  '  a ProviderModel object (provider, modelId, doGenerate, doStream) as { provider: adapter };',
  '  or, where a runtime takes a model, a Taskforce Model (generate, stream, generateObject).',
].join('\n');

function isProviderModel(value: unknown): value is ProviderModel {
  const candidate = value as Partial<ProviderModel> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.doGenerate === 'function' &&
    typeof candidate.doStream === 'function' &&
    typeof candidate.provider === 'string'
  );
}

function describeValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  const keys = Object.keys(value).slice(0, 6);
  const name = (value as object).constructor?.name;
  return `(${name && name !== 'Object' ? `${name} ` : ''}object with keys ${keys.length ? keys.join(', ') : 'none'})`;
}

function modelFromEnv(env: ModelEnv): string {
  const fromEnv = nonEmpty(env.TASKFORCE_MODEL);
  if (!fromEnv) throw new ConfigError(`No model configured: pass a model spec or set TASKFORCE_MODEL.\n${MODEL_SETUP_HELP}`);
  return fromEnv;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

/** Without a base URL the SDK calls OpenAI itself; a custom one is usually a local server needing no key. */
function isOfficialOpenAI(baseURL: string | undefined): boolean {
  if (baseURL === undefined) return true;
  try {
    return new URL(baseURL).hostname === 'api.openai.com';
  } catch {
    throw new ConfigError(`OpenAI base URL "${baseURL}" is not a URL (check OPENAI_BASE_URL or baseURL).`);
  }
}
