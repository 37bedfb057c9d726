import { AbortedError } from '../errors/taskforce-error.js';
import type { ConvergenceOptions, ConvergenceReason } from './detector.js';
import { createConvergenceDetector } from './detector.js';

/** One round of work: gets the 1-based round number and the previous round's result (none on round 1). */
export type IterationStep<T extends string | readonly string[]> = (round: number, previous: T | undefined) => Promise<T>;

/** Options of `iterateUntilConverged`: the detector's, plus a signal. */
export interface IterateOptions extends ConvergenceOptions {
  /** Checked before every round; when it fires, iteration stops with `AbortedError`. */
  readonly signal?: AbortSignal;
}

/** How iteration ended: the last result, why, and every round's result. */
export interface IterationResult<T extends string | readonly string[]> {
  /** The last round's result (for `oscillation`, the round that repeated an earlier one). */
  readonly output: T;
  readonly reason: ConvergenceReason;
  readonly rounds: number;
  /** Similarity of the last round to the one before; `null` if only one round ran. */
  readonly similarity: number | null;
  /** Every round's result, first to last (unnormalised, as `step` returned them). */
  readonly history: readonly T[];
  /** For `oscillation`: the earlier round (1-based) the last round repeated. */
  readonly repeatsRound?: number;
}

/**
 * Runs `step` round after round until a convergence detector built from `options` says stop.
 * A step returns one text (refinement) or one text per participant (re-votes, debate).
 *
 * @example
 * const result = await iterateUntilConverged(
 *   async (round, previous) => refine(previous ?? firstDraft),
 *   { maxRounds: 4, threshold: 0.95 },
 * );
 * result.reason; // 'stable' | 'agreement' | 'oscillation' | 'max-rounds'
 */
export async function iterateUntilConverged<T extends string | readonly string[]>(
  step: IterationStep<T>,
  options: IterateOptions,
): Promise<IterationResult<T>> {
  const detector = createConvergenceDetector(options);
  const history: T[] = [];
  for (;;) {
    if (options.signal?.aborted)
      throw new AbortedError(`iteration aborted before round ${history.length + 1}`, { cause: options.signal.reason });
    const output = await step(history.length + 1, history.at(-1));
    history.push(output);
    const state = detector.observe(output);
    if (state.done)
      return {
        output,
        reason: state.reason,
        rounds: state.rounds,
        similarity: state.similarity,
        history,
        ...(state.reason === 'oscillation' ? { repeatsRound: state.repeatsRound } : {}),
      };
  }
}
