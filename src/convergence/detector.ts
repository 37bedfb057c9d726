import { ConfigError } from '../errors/taskforce-error.js';
import type { EventBus } from '../events/bus.js';
import { ConvergenceError } from './errors.js';
import type { SimilarityFn } from './similarity.js';
import { agreementOf, jaccardSimilarity, normalizeText, roundSimilarity } from './similarity.js';

/**
 * Why iteration stopped:
 * - `agreement`: every output of the last round was similar to every other (≥ threshold);
 * - `stable`: the last round was similar to the one before (≥ threshold);
 * - `oscillation`: the last round matched an earlier round but not the one just before (A, B, A);
 * - `max-rounds`: the round limit was reached first.
 */
export type ConvergenceReason = 'agreement' | 'stable' | 'oscillation' | 'max-rounds';

/** Options of `createConvergenceDetector`. */
export interface ConvergenceOptions {
  /** Similarity at or above which two texts count as the same; default 0.9. In [0, 1]. */
  readonly threshold?: number;
  /** Hard stop after this many rounds (≥ 1). */
  readonly maxRounds: number;
  /** No stop other than `max-rounds` before this many rounds; default 1. */
  readonly minRounds?: number;
  /** The similarity measure; default {@link jaccardSimilarity}. Receives normalised text. */
  readonly similarity?: SimilarityFn;
  /** Applied to every output before comparison; default {@link normalizeText}. */
  readonly normalize?: (text: string) => string;
  /** Where `convergence.round` / `convergence.stopped` go. */
  readonly events?: EventBus;
  /** Put on the events, to say which task is iterating. */
  readonly taskId?: string;
}

/** What the detector measured on the latest round. */
interface RoundMeasure {
  /** Rounds observed so far. */
  readonly rounds: number;
  /** Similarity of this round to the previous one; `null` on the first round. */
  readonly similarity: number | null;
  /** Least pairwise similarity within this round; `null` for a round of one output. */
  readonly agreement: number | null;
}

/** The detector's verdict after one round: keep going, or stop and why. */
export type ConvergenceState =
  | (RoundMeasure & { readonly done: false; readonly reason: null })
  | (RoundMeasure & {
      readonly done: true;
      readonly reason: ConvergenceReason;
      /** For `oscillation`: the earlier round (1-based) that this round repeated. */
      readonly repeatsRound?: number;
    });

/** Watches the rounds of an iterative process and says when to stop. Create with {@link createConvergenceDetector}. */
export interface ConvergenceDetector {
  /** Records one round (one output, or one per participant) and returns the verdict. */
  observe(round: string | readonly string[]): ConvergenceState;
  /** The latest verdict (before any round: not done, 0 rounds). */
  readonly state: ConvergenceState;
}

/**
 * Creates a convergence detector for refinement rounds, re-votes or debates. Each `observe` call is
 * one round; the detector stops on agreement within a round, stability across rounds, oscillation,
 * or the round limit (checked in that order), never before `minRounds` except at the limit.
 *
 * @example
 * const detector = createConvergenceDetector({ maxRounds: 5 });
 * detector.observe('Draft one.');            // { done: false, reason: null, rounds: 1, ... }
 * detector.observe('Draft one!');            // { done: true, reason: 'stable', rounds: 2, similarity: 1, ... }
 */
export function createConvergenceDetector(options: ConvergenceOptions): ConvergenceDetector {
  const { threshold, maxRounds, minRounds } = validateOptions(options);
  const normalize = options.normalize ?? normalizeText;
  const similarity = checkedSimilarity(options.similarity ?? jaccardSimilarity);
  const tag = options.taskId === undefined ? {} : { taskId: options.taskId };
  const history: (readonly string[])[] = [];
  let state: ConvergenceState = { done: false, reason: null, rounds: 0, similarity: null, agreement: null };

  const verdict = (current: readonly string[], round: number): ConvergenceState => {
    const previous = history.at(-2);
    const sinceLast = previous === undefined ? null : roundSimilarity(previous, current, similarity);
    const agreement = agreementOf(current, similarity);
    const base = { rounds: round, similarity: sinceLast, agreement };
    if (round >= minRounds) {
      if (agreement !== null && agreement >= threshold) return { ...base, done: true, reason: 'agreement' };
      if (sinceLast !== null && sinceLast >= threshold) return { ...base, done: true, reason: 'stable' };
      if (sinceLast !== null) {
        // Newest first, so a period-2 cycle reports the round it most recently repeated.
        for (let earlier = history.length - 3; earlier >= 0; earlier--) {
          const before = history[earlier];
          if (before !== undefined && roundSimilarity(before, current, similarity) >= threshold)
            return { ...base, done: true, reason: 'oscillation', repeatsRound: earlier + 1 };
        }
      }
    }
    if (round >= maxRounds) return { ...base, done: true, reason: 'max-rounds' };
    return { ...base, done: false, reason: null };
  };

  return {
    get state() {
      return state;
    },
    observe(input) {
      const round = state.rounds + 1;
      if (state.done)
        throw new ConvergenceError(
          'CONVERGENCE_ALREADY_STOPPED',
          `convergence detector already stopped (${state.reason}) after round ${state.rounds}; round ${round} was observed anyway`,
        );
      const outputs = typeof input === 'string' ? [input] : input;
      if (outputs.length === 0)
        throw new ConvergenceError('CONVERGENCE_EMPTY_ROUND', `convergence round ${round} has no outputs; a round needs at least one`);
      const current = outputs.map(normalize);
      history.push(current);
      state = verdict(current, round);
      options.events?.emit({ type: 'convergence.round', ...tag, round, similarity: state.similarity });
      if (state.done) options.events?.emit({ type: 'convergence.stopped', ...tag, rounds: round, reason: state.reason });
      return state;
    },
  };
}

function validateOptions(options: ConvergenceOptions): { threshold: number; maxRounds: number; minRounds: number } {
  const threshold = options.threshold ?? 0.9;
  const minRounds = options.minRounds ?? 1;
  const { maxRounds } = options;
  if (!(threshold >= 0 && threshold <= 1))
    throw new ConfigError(`convergence option "threshold" must be a number in [0, 1], got ${String(threshold)}`);
  if (!Number.isInteger(maxRounds) || maxRounds < 1)
    throw new ConfigError(`convergence option "maxRounds" must be a positive integer, got ${String(maxRounds)}`);
  if (!Number.isInteger(minRounds) || minRounds < 1 || minRounds > maxRounds)
    throw new ConfigError(
      `convergence option "minRounds" must be an integer from 1 to maxRounds (${maxRounds}), got ${String(minRounds)}`,
    );
  return { threshold, maxRounds, minRounds };
}

/** A caller's similarity function that returns NaN or 1.3 would silently never (or always) stop; fail loudly. */
function checkedSimilarity(similarity: SimilarityFn): SimilarityFn {
  return (a, b) => {
    const value = similarity(a, b);
    if (typeof value !== 'number' || !(value >= 0 && value <= 1))
      throw new ConvergenceError(
        'CONVERGENCE_BAD_SIMILARITY',
        `similarity function returned ${String(value)}; it must return a number in [0, 1]`,
      );
    return value;
  };
}
