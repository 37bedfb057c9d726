import { z } from 'zod';
import type { Model } from '../src/model/types.js';
import { renderPrompt, type PromptOverrides } from './prompts.js';

/** One agent's answer to the task. */
export interface Answer {
  readonly agent: string;
  readonly text: string;
}

/** A set of equivalent answers voters can choose between. */
export interface AnswerOption {
  /** `A`, `B`, ... in order of first appearance. */
  readonly id: string;
  /** Short description (the normalised answer, or the judge's summary). */
  readonly label: string;
  /** Agents whose answers fall in this option, in answer order. */
  readonly members: readonly string[];
}

/** Max characters of a normalised answer still compared by exact match (longer answers go to the judge). */
export const SHORT_ANSWER_CHARS = 80;

/**
 * An answer reduced for exact comparison: lower case, markdown emphasis, code ticks and quotes
 * dropped, whitespace collapsed, trailing punctuation removed. `"**Paris.**"` → `paris`.
 */
export function normaliseAnswer(text: string): string {
  return text
    .toLowerCase()
    .replace(/[*_`~]+/g, '')
    .replace(/^[\s"'“”‘’«»]+|[\s"'“”‘’«»]+$/g, '')
    .replace(/\s+/g, ' ')
    .replace(/[\s.!;:,]+$/, '')
    .trim();
}

/** Whether an answer is short enough for exact matching: one line of at most `maxChars` once normalised. */
export function isShortAnswer(text: string, maxChars = SHORT_ANSWER_CHARS): boolean {
  return !text.trim().includes('\n') && normaliseAnswer(text).length <= maxChars;
}

/** Option id for the i-th option: A..Z, then A2, B2, ... */
export function optionId(index: number): string {
  const letter = String.fromCharCode(65 + (index % 26));
  const round = Math.floor(index / 26);
  return round === 0 ? letter : `${letter}${round + 1}`;
}

/** Groups answers whose normalised text is identical. Pure. */
export function groupExact(answers: readonly Answer[]): AnswerOption[] {
  const groups = new Map<string, string[]>();
  for (const answer of answers) {
    const key = normaliseAnswer(answer.text);
    groups.set(key, [...(groups.get(key) ?? []), answer.agent]);
  }
  return [...groups.entries()].map(([label, members], i) => ({ id: optionId(i), label, members }));
}

/** The judge's reply schema; the refinement makes the repair loop re-ask until the groups partition the answers. */
export function judgeGroupsSchema(count: number) {
  return z
    .object({
      groups: z
        .array(
          z.object({
            answers: z.array(z.number().int()).min(1).describe('Numbers of the answers in this group'),
            summary: z.string().describe('The shared conclusion of these answers, one sentence'),
          }),
        )
        .min(1),
    })
    .superRefine((value, ctx) => {
      const counts = new Map<number, number>();
      for (const g of value.groups) for (const n of g.answers) counts.set(n, (counts.get(n) ?? 0) + 1);
      for (const [n, c] of counts) {
        if (n < 1 || n > count) ctx.addIssue({ code: 'custom', path: ['groups'], message: `answer ${n} does not exist (answers are 1..${count})` });
        else if (c > 1) ctx.addIssue({ code: 'custom', path: ['groups'], message: `answer ${n} is in ${c} groups; put each answer in exactly one` });
      }
      for (let n = 1; n <= count; n++)
        if (!counts.has(n)) ctx.addIssue({ code: 'custom', path: ['groups'], message: `answer ${n} is in no group` });
    });
}

/**
 * Groups long free-text answers by meaning with one structured model call (`prompts/judge.md`).
 * Options keep the order of their first answer.
 */
export async function groupWithJudge(
  model: Model,
  answers: readonly Answer[],
  task: { readonly title: string; readonly instructions: string },
  options: { readonly signal?: AbortSignal; readonly prompts?: PromptOverrides } = {},
): Promise<AnswerOption[]> {
  const listing = answers.map((a, i) => `<answer number="${i + 1}">\n${a.text.trim()}\n</answer>`).join('\n\n');
  const { object } = await model.generateObject({
    prompt: renderPrompt('judge', { title: task.title, instructions: task.instructions, count: answers.length, answers: listing }, options.prompts),
    schema: judgeGroupsSchema(answers.length),
    schemaName: 'answer_groups',
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const groups = object.groups
    .map((g) => ({ summary: g.summary, numbers: [...g.answers].sort((a, b) => a - b) }))
    .sort((a, b) => a.numbers[0]! - b.numbers[0]!);
  return groups.map((g, i) => ({
    id: optionId(i),
    label: g.summary,
    members: g.numbers.map((n) => answers[n - 1]!.agent),
  }));
}
