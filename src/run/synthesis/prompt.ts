import { readFileSync } from 'node:fs';
import { ConfigError } from '../../errors/taskforce-error.js';
import { packagePath } from '../../util/package-root.js';
import type { SynthesisSource } from './types.js';

/** Reads a prompt template shipped in the package's `prompts/` folder. */
export function loadPromptTemplate(name: string): string {
  return readFileSync(packagePath('prompts', name), 'utf8');
}

/**
 * Fills `{{name}}` placeholders. A placeholder with no value is an error naming the template, so a
 * template edited out of step with the code fails loudly instead of sending `{{goal}}` to a model.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>, templateName: string): string {
  return template.replace(/\{\{\s*([a-zA-Z][\w]*)\s*\}\}/g, (_whole, key: string) => {
    const value = values[key];
    if (value === undefined)
      throw new ConfigError(
        `prompt template "${templateName}" uses {{${key}}}, which is not provided (known: ${Object.keys(values).join(', ')})`,
      );
    return value;
  });
}

/** The child results as tagged blocks the model can tell apart and cite by id. */
export function renderSources(results: readonly SynthesisSource[]): string {
  return results
    .map(
      (r) =>
        `<result id="${r.taskId}" title="${r.title.replace(/"/g, "'")}" agents="${r.agents.join(', ')}">\n` +
        `${r.output.trim()}\n</result>`,
    )
    .join('\n\n');
}

/** Format instructions for a Markdown answer with `[task-id]` markers. */
export function textFormat(taskIds: readonly string[]): string {
  return [
    'Write the final answer in Markdown.',
    'End every paragraph, list item or section with the ids of the results it draws on, in square brackets:',
    `\`[${taskIds[0] ?? 'task-id'}]\`, or \`[id-1, id-2]\` for several. Use only these ids: ${taskIds.join(', ')}.`,
    'Do not use square brackets for anything else.',
  ].join('\n');
}

/** Format instructions for a JSON answer under `answer`, with citations beside it. */
export function objectFormat(taskIds: readonly string[], answerSchema: unknown): string {
  return [
    'Reply with one JSON object with two fields:',
    '- `answer`: the final answer, matching the JSON Schema below;',
    '- `citations`: a list of `{ "part": ..., "taskIds": [...] }`, naming for each part of the answer the ids of the results it draws on.',
    `Use only these ids: ${taskIds.join(', ')}.`,
    '',
    'JSON Schema of `answer`:',
    '```json',
    JSON.stringify(answerSchema, null, 2),
    '```',
  ].join('\n');
}

/** The follow-up message that sends an attempt's problems back to the model. */
export function feedbackMessage(problems: readonly string[]): string {
  return [
    'Your answer did not pass these checks:',
    ...problems.map((p) => `- ${p}`),
    'Write the complete answer again, fixing every problem and keeping what was right.',
  ].join('\n');
}
