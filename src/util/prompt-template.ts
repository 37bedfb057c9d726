import { ConfigError } from '../errors/taskforce-error.js';
import { EMBEDDED_PROMPTS } from './embedded-assets.generated.js';

/**
 * A prompt template shipped in the package's `prompts/` folder (`name` with or without `.md`).
 * The templates are embedded at build time (`scripts/embed-assets.mjs`), so they are found however the
 * package is installed or bundled.
 */
export function readPromptTemplate(name: string): string {
  const file = name.endsWith('.md') ? name : `${name}.md`;
  const template = EMBEDDED_PROMPTS[file];
  if (template === undefined)
    throw new ConfigError(`cannot read prompt template "${name}": prompts/${file} does not exist (known: ${Object.keys(EMBEDDED_PROMPTS).join(', ')})`);
  return template;
}

/**
 * Fills `{{name}}` placeholders in one pass (braces inside values are left alone). A placeholder with
 * no value, or a `required` one the template lacks, is a `ConfigError` naming the template, so a
 * template edited out of step with its code fails loudly instead of sending `{{goal}}` to a model.
 */
export function fillTemplate(
  template: string,
  values: Readonly<Record<string, string | number>>,
  templateName: string,
  required: readonly string[] = [],
): string {
  for (const key of required)
    if (!new RegExp(`\\{\\{\\s*${key}\\s*\\}\\}`).test(template))
      throw new ConfigError(`prompt template "${templateName}" lacks the {{${key}}} placeholder`);
  return template.replace(/\{\{\s*([a-zA-Z][\w-]*)\s*\}\}/g, (_whole, key: string) => {
    const value = values[key];
    if (value === undefined)
      throw new ConfigError(
        `prompt template "${templateName}" uses {{${key}}}, which has no value (known: ${Object.keys(values).join(', ')})`,
      );
    return String(value);
  });
}
