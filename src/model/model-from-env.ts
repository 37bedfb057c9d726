import type { ModelEnv } from './spec.js';

/**
 * The model used when only an API key is set: one per provider key, checked in this order. The CLI
 * (`taskforce run`, `eval`, ...) and a bare `Task()` both read it, so the same environment picks the
 * same model in code and on the command line.
 */
export const DEFAULT_MODEL_FOR_KEY = Object.freeze({
  ANTHROPIC_API_KEY: 'anthropic:claude-haiku-4-5',
  OPENAI_API_KEY: 'openai:gpt-5-mini',
});

/**
 * The model spec the environment names: `TASKFORCE_MODEL`, else the default model for whichever API
 * key is set (`ANTHROPIC_API_KEY`, then `OPENAI_API_KEY`); `undefined` when none is.
 *
 * @example
 * modelFromEnvironment({ OPENAI_API_KEY: 'sk-...' }); // 'openai:gpt-5-mini'
 */
export function modelFromEnvironment(env: ModelEnv): string | undefined {
  const named = env.TASKFORCE_MODEL?.trim();
  if (named) return named;
  for (const [key, spec] of Object.entries(DEFAULT_MODEL_FOR_KEY)) if (env[key]?.trim()) return spec;
  return undefined;
}
