import type { EventBus } from '../events/bus.js';
import type { Model } from '../model/types.js';
import { ConfigError } from '../errors/taskforce-error.js';
import { fillTemplate, readPromptTemplate } from '../util/prompt-template.js';
import { createConvergenceDetector, type ConvergenceOptions } from '../convergence/detector.js';
import type { SimilarityFn } from '../convergence/similarity.js';
import { stopOf } from './stop.js';
import type { RefineSummary, StoppedBy } from './types.js';

/** `refine` option: critique → revise rounds on the synthesized answer until it converges. */
export interface RefineOptions {
  /** Rounds at most, the synthesized draft counting as round 1 (so 3 = at most two revisions). */
  readonly maxRounds: number;
  /** Similarity at or above which two rounds count as the same; default 0.9. */
  readonly threshold?: number;
  /** No stop other than max-rounds before this many rounds; default 1. */
  readonly minRounds?: number;
  /** How rounds are compared; default word-set Jaccard on normalised text. */
  readonly similarity?: SimilarityFn;
}

/** The reply a critic gives when the answer needs no change. */
export const NO_CHANGES = 'NO CHANGES';

/** The critic's prompt (`prompts/critique.md`). */
export function critiquePrompt(goal: string, answer: string): string {
  return fillTemplate(readPromptTemplate('critique'), { goal, answer, noChanges: NO_CHANGES }, 'critique');
}

/** The reviser's prompt (`prompts/revise.md`). */
export function revisePrompt(goal: string, answer: string, critique: string): string {
  return fillTemplate(readPromptTemplate('revise'), { goal, answer, critique }, 'revise');
}

/** What `refineAnswer` works on: the goal, the synthesized draft and the model that critiques and revises. */
export interface RefineInput {
  readonly goal: string;
  readonly draft: string;
  readonly model: Model;
  readonly options: RefineOptions;
  readonly events?: EventBus;
  readonly signal?: AbortSignal;
}

/** What refining gave: the final answer and why the rounds stopped. */
export interface RefineOutcome {
  /** The last round's answer (for an oscillation, the round that repeated an earlier one). */
  readonly output: string;
  readonly summary: RefineSummary;
  /** Set when a budget or cancellation cut refining short; `output` is the last finished round. */
  readonly stoppedBy?: StoppedBy;
}

/**
 * Critique → revise rounds on `draft` (round 1) until the convergence detector says stable, agreement,
 * oscillation or max-rounds. A critic that finds nothing to change ends the rounds as stable without a
 * revision call. Rounds go out as `convergence.round` / `convergence.stopped` events.
 */
export async function refineAnswer(input: RefineInput): Promise<RefineOutcome> {
  checkRefineOptions(input.options);
  const { goal, model, signal } = input;
  const detector = createConvergenceDetector(detectorOptions(input.options, input.events));
  let current = input.draft;
  let state = detector.observe(current);
  while (!state.done) {
    try {
      const critique = await model.generate({ prompt: critiquePrompt(goal, current), ...(signal ? { signal } : {}) });
      if (critique.text.trim().toUpperCase().startsWith(NO_CHANGES)) {
        state = detector.observe(current);
        continue;
      }
      const revised = await model.generate({ prompt: revisePrompt(goal, current, critique.text.trim()), ...(signal ? { signal } : {}) });
      // An empty revision would erase the answer; keep the current one and let the detector see it as stable.
      if (revised.text.trim() !== '') current = revised.text.trim();
    } catch (error) {
      const stop = stopOf(error, signal);
      if (!stop) throw error;
      return { output: current, summary: { rounds: state.rounds, reason: 'stopped', similarity: state.similarity }, stoppedBy: stop };
    }
    state = detector.observe(current);
  }
  return { output: current, summary: { rounds: state.rounds, reason: state.reason, similarity: state.similarity } };
}

/**
 * Checks `refine` options before any model call: an object whose rounds, threshold and similarity
 * a convergence detector accepts. Throws `ConfigError` naming the field.
 */
export function checkRefineOptions(options: RefineOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new ConfigError('option "refine" must be an object like { maxRounds: 3, threshold: 0.9 }');
  if (options.similarity !== undefined && typeof options.similarity !== 'function')
    throw new ConfigError('option "refine.similarity" must be a function (a, b) => number in [0, 1]');
  try {
    createConvergenceDetector(detectorOptions(options));
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.message.replace(/^convergence option "/, 'option "refine.'), { cause: error });
    throw error;
  }
}

function detectorOptions(options: RefineOptions, events?: EventBus): ConvergenceOptions {
  return {
    maxRounds: options.maxRounds,
    ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
    ...(options.minRounds !== undefined ? { minRounds: options.minRounds } : {}),
    ...(options.similarity ? { similarity: options.similarity } : {}),
    ...(events ? { events } : {}),
  };
}
