import type { z } from 'zod';
import type { EventBus } from '../events/bus.js';
import type { SchemaInput } from '../model/schema-adapter.js';
import type { Model, Usage } from '../model/types.js';

/** One child result to merge: a finished task's output and who produced it. */
export interface SynthesisSource {
  readonly taskId: string;
  readonly title: string;
  readonly output: string;
  /** Agents whose work went into the output. */
  readonly agents: readonly string[];
}

/** Which tasks one part of the answer came from. */
export interface Citation {
  /** The part of the answer (a paragraph, list item or section for text; the model's wording for objects). */
  readonly part: string;
  /** Ids of the tasks it draws on; every id is one of the sources'. */
  readonly taskIds: readonly string[];
}

/** The quality checks a synthesis attempt goes through. */
export type SynthesisCheckName =
  /** Cited ids exist and the answer cites at least one source. */
  | 'citations'
  /** The answer is non-empty and was not cut at the token limit. */
  | 'complete'
  /** The answer matches `outputSchema`. */
  | 'schema'
  /** A judge model found the answer meets the rubric. */
  | 'rubric';

/** One check of one synthesis attempt. */
export interface SynthesisCheck {
  /** Attempt number, from 1. */
  readonly attempt: number;
  readonly check: SynthesisCheckName;
  readonly passed: boolean;
  /** What was wrong (fed back to the next attempt); empty when passed. */
  readonly problems: readonly string[];
}

/** Options of `synthesize`. */
export interface SynthesizeOptions<T = string> {
  /** The goal the answer must serve. */
  readonly goal: string;
  /** The child results to merge; task ids must be unique. */
  readonly results: readonly SynthesisSource[];
  /** The model that writes the answer. */
  readonly model: Model;
  /** Where `synthesis.attempt` events go. */
  readonly events?: EventBus;
  /** When given, the answer is a JSON value validated by this schema, and `output` is the parsed value. */
  readonly outputSchema?: SchemaInput<T>;
  /** Criteria a judge model checks the answer against (pass/fail with reasons). */
  readonly rubric?: string;
  /** The judge for `rubric`; defaults to `model`. */
  readonly judge?: Model;
  /** Synthesis calls at most (first try plus re-tries with the problems); default 2. */
  readonly maxAttempts?: number;
  /** Throw `SynthesisError` instead of returning an answer that failed its checks; default false. */
  readonly strict?: boolean;
  /** Max output tokens per synthesis call. */
  readonly maxTokens?: number;
  readonly signal?: AbortSignal;
  /**
   * Receives a text answer as the model writes it (the call then streams): each piece, with the number of
   * the draft it belongs to (1 for the first attempt, 2 for a re-ask after failed checks, …). The last
   * draft's pieces join to the answer. Not used with `outputSchema`.
   */
  readonly onText?: (text: string, draft: number) => void;
}

/** What `synthesize` returns. */
export interface SynthesisResult<T = string> {
  /** The merged answer: text with `[task-id]` markers, or the schema-validated value. */
  readonly output: T;
  /** Which tasks each part of the answer came from. */
  readonly citations: readonly Citation[];
  /** Whether the returned answer passed every check. `false` means it is the best of failing attempts. */
  readonly passed: boolean;
  /** Synthesis model calls made (0 when a single result was passed through). */
  readonly attempts: number;
  /** The attempt `output` comes from (0 for a pass-through). */
  readonly chosenAttempt: number;
  /** Every check of every attempt, in order. */
  readonly checks: readonly SynthesisCheck[];
  /** Usage of the synthesis and judge calls that returned. */
  readonly usage: Usage;
  readonly costUsd: number;
}
