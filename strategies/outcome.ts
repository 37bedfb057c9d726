import { z } from 'zod';
import type { AgentRunResult } from '../src/agents/types.js';
import type { Model } from '../src/model/types.js';
import type { TaskSpec } from '../src/plan/types.js';
import { StrategyValueError } from './errors.js';
import type { CoordinationContext } from './strategy.js';
import type { Store } from '../src/store/kv-store.js';
import { renderPrompt, type PromptOverrides } from './prompts.js';

/** A task's outcome for one agent: true/1 success, false/0 failure, or a grade in between. */
export type OutcomeScore = number | boolean;

/** Whatever holds the store a strategy learns in: a runtime, or `{ store }`. */
export interface StoreHolder {
  readonly store: Store;
}

/** An outcome reported back to a learning strategy. */
export interface StrategyOutcome {
  readonly task: Pick<TaskSpec, 'id' | 'capabilities'>;
  readonly agent: string;
  readonly success: OutcomeScore;
}

/** A strategy that learns from outcomes (reputation or pheromone trails) and takes reports of them. */
export interface OutcomeRecorder {
  /**
   * Feeds one outcome into what the strategy learns, in the store of `target` (a runtime, or any
   * `{ store }`). Call it when the quality of a task's output is known later (tests passed, a reviewer
   * accepted it) with `assess: 'external'`.
   */
  recordOutcome(target: StoreHolder, outcome: StrategyOutcome): void;
}

/** What an `assess` function sees. */
export interface AssessInput {
  readonly output: string;
  readonly agent: string;
  readonly run: AgentRunResult;
  readonly context: CoordinationContext;
}

/** Grades an agent's output for the task: 1 success, 0 failure, or in between. */
export type AssessFn = (input: AssessInput) => OutcomeScore | Promise<OutcomeScore>;

/**
 * How a learning strategy learns whether the agent it chose did well:
 * - `'finish'` (default): success when the agent finished with a non-empty answer, failure when it
 *   hit its step cap, answered nothing or threw. Free, and catches real failures, but not wrong answers.
 * - `'judge'`: a structured model call (`prompts/assess.md`) grades the output from 0 to 1.
 * - `'external'`: the strategy records nothing; the caller reports outcomes with `recordOutcome`.
 * - a function: your own check (run the tests, compare with a reference, ...).
 */
export type AssessOption = 'finish' | 'judge' | 'external' | AssessFn;

/** The grade of an output, or undefined when outcomes are reported externally. */
export interface Assessment {
  readonly score: number;
  readonly by: 'finish' | 'judge' | 'function';
  readonly reason?: string;
}

const JudgeGrade = z.object({
  score: z.number().min(0).max(1).describe('1 = fully does the task, 0 = fails it'),
  reason: z.string().describe('One or two sentences'),
});

/** Grades `run` with the chosen assessment; undefined for `'external'`. */
export async function assessRun(
  option: AssessOption,
  input: AssessInput,
  deps: { readonly judgeModel?: Model; readonly prompts?: PromptOverrides } = {},
): Promise<Assessment | undefined> {
  if (option === 'external') return undefined;
  if (option === 'finish') {
    const ok = input.run.finishReason === 'final' && input.output.trim().length > 0;
    return { score: ok ? 1 : 0, by: 'finish', reason: ok ? 'finished with an answer' : `finish reason ${input.run.finishReason}, ${input.output.trim().length} characters` };
  }
  if (option === 'judge') {
    const model = deps.judgeModel ?? input.context.judgeModel;
    const { object } = await model.generateObject({
      prompt: renderPrompt(
        'assess',
        { goal: input.context.goal, title: input.context.task.title, instructions: input.context.task.instructions, output: input.output },
        deps.prompts,
      ),
      schema: JudgeGrade,
      schemaName: 'grade',
      signal: input.context.signal,
    });
    return { score: object.score, by: 'judge', reason: object.reason };
  }
  const graded = await option(input);
  const score = typeof graded === 'boolean' ? (graded ? 1 : 0) : graded;
  if (!(score >= 0 && score <= 1))
    throw new StrategyValueError({
      agent: input.agent,
      taskId: input.context.task.id,
      message: `assess() for task "${input.context.task.id}" (agent "${input.agent}") returned ${String(graded)}; expected a boolean or a number in [0, 1]`,
    });
  return { score, by: 'function' };
}

/**
 * The score of an outcome reported with `recordOutcome`: true 1, false 0, or the grade itself. A grade
 * outside [0, 1] is a `StrategyValueError` naming the agent and the task.
 */
export function reportedScore(outcome: StrategyOutcome): number {
  const score = typeof outcome.success === 'boolean' ? (outcome.success ? 1 : 0) : outcome.success;
  if (!(score >= 0 && score <= 1))
    throw new StrategyValueError({
      agent: outcome.agent,
      taskId: outcome.task.id,
      message: `recordOutcome for agent "${outcome.agent}" on task "${outcome.task.id}": success must be a boolean or a number in [0, 1], got ${String(outcome.success)}`,
    });
  return score;
}
