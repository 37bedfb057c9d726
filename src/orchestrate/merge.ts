import type { EventBus } from '../events/bus.js';
import type { Model } from '../model/types.js';
import { synthesize } from '../synthesis/synthesize.js';
import type { SynthesisResult, SynthesisSource } from '../synthesis/types.js';
import type { FinalStage, RunSettings } from './orchestration.js';
import { refineAnswer } from './refine.js';
import { stopOf } from './stop.js';
import type { RefineSummary, StoppedBy, SynthesisSummary } from './types.js';

/** What merging a run's results gave. */
export interface Merged {
  /** The answer as text: synthesized (and refined), or the sources joined under their ids when nothing ran. */
  readonly output: string;
  /** The typed answer (the schema's value, or the text). Absent when synthesis did not finish. */
  readonly value?: unknown;
  readonly synthesis?: SynthesisSummary;
  readonly refine?: RefineSummary;
  /** A budget or cancellation that cut merging short. */
  readonly stoppedBy?: StoppedBy;
  /** An error that is not a stop (a strict synthesis that failed, a model error): the run fails with it. */
  readonly failure?: { readonly error: unknown };
}

/** What a run hands to its merge stage. */
export interface MergeInput {
  readonly goal: string;
  readonly sources: readonly SynthesisSource[];
  readonly model: Model;
  readonly events: EventBus;
  readonly signal: AbortSignal;
  /** Only for the top-level run: output schema, rubric, strictness, refine rounds. */
  readonly final?: FinalStage;
}

/** The completed results under their ids: the output of a run stopped before it could synthesize. */
export function joinSources(sources: readonly SynthesisSource[]): string {
  return sources.map((s) => `[${s.taskId}] ${s.title}\n\n${s.output}`).join('\n\n');
}

/**
 * Synthesizes a run's completed results with the goal in view, then (top level, `refine` set)
 * critiques and revises the answer until it converges. With nothing to merge, the output is empty.
 */
export async function mergeResults(settings: Pick<RunSettings, 'synthesis'>, input: MergeInput): Promise<Merged> {
  const { goal, sources, model, events, signal, final } = input;
  if (sources.length === 0) return { output: '' };
  let merged: SynthesisResult<unknown>;
  // The top-level answer is streamed as it is written when someone listens (`answer.delta` events).
  let drafts = 0;
  const onText =
    final && events.hasListeners()
      ? (text: string, draft: number) => {
          drafts = draft;
          events.emit({ type: 'answer.delta', draft, text });
        }
      : undefined;
  try {
    merged = await synthesize({
      goal,
      results: sources,
      model,
      events,
      signal,
      ...(final?.outputSchema ? { outputSchema: final.outputSchema } : {}),
      ...(final?.rubric !== undefined ? { rubric: final.rubric } : {}),
      ...(final?.strict !== undefined ? { strict: final.strict } : {}),
      ...(settings.synthesis.maxAttempts !== undefined ? { maxAttempts: settings.synthesis.maxAttempts } : {}),
      ...(settings.synthesis.maxTokens !== undefined ? { maxTokens: settings.synthesis.maxTokens } : {}),
      ...(onText ? { onText } : {}),
    } as Parameters<typeof synthesize>[0]);
  } catch (error) {
    const stop = stopOf(error, signal);
    // The completed results joined, only when synthesis did not give an answer (10,000 outputs take milliseconds).
    const joined = joinSources(sources);
    return stop ? { output: joined, stoppedBy: stop } : { output: joined, failure: { error } };
  }
  const synthesis: SynthesisSummary = { citations: merged.citations, passed: merged.passed, attempts: merged.attempts, checks: merged.checks };
  const output = typeof merged.output === 'string' ? merged.output : JSON.stringify(merged.output);
  if (!final?.refine || typeof merged.output !== 'string') return { output, value: merged.output, synthesis };
  try {
    const refined = await refineAnswer({ goal, draft: output, model, options: final.refine, events, signal });
    // A revision is one more draft, delivered whole.
    if (onText && refined.output !== output) onText(refined.output, drafts + 1);
    return {
      output: refined.output,
      value: refined.output,
      synthesis,
      refine: refined.summary,
      ...(refined.stoppedBy ? { stoppedBy: refined.stoppedBy } : {}),
    };
  } catch (error) {
    return { output, value: merged.output, synthesis, failure: { error } };
  }
}
