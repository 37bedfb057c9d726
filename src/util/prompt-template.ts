import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors/taskforce-error.js';
import { packagePath } from './package-root.js';

/**
 * Reads a prompt template shipped in the package's `prompts/` folder (`name` with or without `.md`).
 * Read on each call, so nothing is cached in the module and edited templates take effect at once.
 */
export function readPromptTemplate(name: string): string {
  const path = packagePath('prompts', name.endsWith('.md') ? name : `${name}.md`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read prompt template "${name}" at ${path}: ${(error as Error).message}`, { cause: error });
  }
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
