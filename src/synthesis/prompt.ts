import type { SynthesisSource } from './types.js';

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
