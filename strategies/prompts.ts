import { readFileSync } from 'node:fs';
import { ConfigError } from '../src/errors/taskforce-error.js';
import { packagePath } from '../src/util/package-root.js';

/** The prompt templates the strategies use, by file name in the package's `prompts/` folder. */
export type StrategyPromptName = 'vote' | 'bid' | 'judge' | 'conflict' | 'leader-split' | 'leader-integrate' | 'assess';

/** Prompt texts that replace the packaged templates, by name (same `{{placeholders}}`). */
export type PromptOverrides = Partial<Record<StrategyPromptName, string>>;

/** Reads a packaged prompt template, unless `overrides` has one of that name. */
export function promptTemplate(name: StrategyPromptName, overrides?: PromptOverrides): string {
  const override = overrides?.[name];
  if (override !== undefined) return override;
  const path = packagePath('prompts', `${name}.md`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read prompt template "${name}" at ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Fills `{{name}}` placeholders. A placeholder with no value is an error, so a template and its
 * caller cannot drift apart silently.
 */
export function fillPrompt(template: string, values: Readonly<Record<string, string | number>>, name = 'prompt'): string {
  return template.replace(/\{\{\s*([a-zA-Z][\w-]*)\s*\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new ConfigError(`prompt template "${name}" uses {{${key}}} but no value was given for it`);
    return String(value);
  });
}

/** Loads and fills a strategy prompt in one step. */
export function renderPrompt(
  name: StrategyPromptName,
  values: Readonly<Record<string, string | number>>,
  overrides?: PromptOverrides,
): string {
  return fillPrompt(promptTemplate(name, overrides), values, name);
}
