import { fillTemplate, readPromptTemplate } from '../src/util/prompt-template.js';

/** The prompt templates the strategies use, by file name in the package's `prompts/` folder. */
export type StrategyPromptName = 'vote' | 'bid' | 'judge' | 'conflict' | 'leader-split' | 'leader-integrate' | 'assess';

/** Prompt texts that replace the packaged templates, by name (same `{{placeholders}}`). */
export type PromptOverrides = Partial<Record<StrategyPromptName, string>>;

/** Reads a packaged prompt template, unless `overrides` has one of that name. */
export function promptTemplate(name: StrategyPromptName, overrides?: PromptOverrides): string {
  return overrides?.[name] ?? readPromptTemplate(name);
}

/** Loads and fills a strategy prompt in one step. */
export function renderPrompt(
  name: StrategyPromptName,
  values: Readonly<Record<string, string | number>>,
  overrides?: PromptOverrides,
): string {
  return fillTemplate(promptTemplate(name, overrides), values, name);
}
