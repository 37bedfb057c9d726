import { z } from 'zod';
import type { Model, Usage } from '../model/types.js';
import { fillTemplate, readPromptTemplate } from '../util/prompt-template.js';

/** The judge's structured reply. */
export const JudgeVerdict = z.object({
  pass: z.boolean().describe('true only if the answer meets every criterion of the rubric'),
  reasons: z.array(z.string()).describe('for each criterion missed: what is wrong and what would fix it'),
});
/** The judge's verdict: pass/fail and a reason per missed criterion. */
export type JudgeVerdict = z.infer<typeof JudgeVerdict>;

/** A verdict with what the judge call used. */
export interface JudgeOutcome {
  readonly verdict: JudgeVerdict;
  readonly usage: Usage;
  readonly costUsd: number;
}

/**
 * Asks `judge` whether `answer` meets `rubric` for `goal` (prompt: `prompts/judge-rubric.md`), as a
 * structured pass/fail with reasons. Errors from the judge call propagate: a judge that cannot give a
 * verdict is not a pass.
 */
export async function judgeAnswer(args: {
  readonly judge: Model;
  readonly goal: string;
  readonly rubric: string;
  readonly answer: string;
  readonly signal?: AbortSignal;
}): Promise<JudgeOutcome> {
  const prompt = fillTemplate(
    readPromptTemplate('judge-rubric.md'),
    { goal: args.goal, rubric: args.rubric, answer: args.answer },
    'judge-rubric.md',
  );
  const result = await args.judge.generateObject({
    prompt,
    schema: JudgeVerdict,
    schemaName: 'verdict',
    schemaDescription: 'Whether the answer meets the rubric, with reasons for each miss',
    temperature: 0,
    ...(args.signal ? { signal: args.signal } : {}),
  });
  return { verdict: result.object, usage: result.usage, costUsd: result.costUsd };
}

/** The judge's verdict as problems to feed back; a failing verdict without reasons still yields one. */
export function verdictProblems(verdict: JudgeVerdict): string[] {
  if (verdict.pass) return [];
  const reasons = verdict.reasons.map((r) => r.trim()).filter((r) => r !== '');
  return reasons.length ? reasons.map((r) => `rubric: ${r}`) : ['rubric: the judge failed the answer without giving reasons'];
}
