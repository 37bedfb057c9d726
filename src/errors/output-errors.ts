import { TaskforceError } from './taskforce-error.js';

/** The model's structured output stayed invalid after every repair attempt. */
export class StructuredOutputError extends TaskforceError {
  /** The last raw output. */
  readonly raw: string;
  /** Validation problems of the last attempt, `path: message` each. */
  readonly issues: readonly string[];
  readonly attempts: number;
  constructor(args: { schemaName: string; raw: string; issues: readonly string[]; attempts: number }) {
    super(
      'STRUCTURED_OUTPUT_INVALID',
      `model output did not match schema "${args.schemaName}" after ${args.attempts} attempt(s): ${args.issues.join('; ')}`,
    );
    this.raw = args.raw;
    this.issues = args.issues;
    this.attempts = args.attempts;
  }
}

/** The model declined to answer. */
export class RefusalError extends TaskforceError {
  readonly refusal: string;
  constructor(provider: string, refusal: string) {
    super('MODEL_REFUSAL', `${provider} model refused: ${refusal || '(no reason given)'}`);
    this.refusal = refusal;
  }
}

/** The output was cut at the max-tokens limit and cannot be used as if complete. */
export class TruncatedOutputError extends TaskforceError {
  readonly partial: string;
  readonly maxTokens: number | undefined;
  constructor(provider: string, partial: string, maxTokens: number | undefined) {
    super(
      'MODEL_OUTPUT_TRUNCATED',
      `${provider} output was cut at max tokens${maxTokens ? ` (${maxTokens})` : ''} after ${partial.length} characters; raise maxTokens`,
    );
    this.partial = partial;
    this.maxTokens = maxTokens;
  }
}

/**
 * An agent's final answer was empty or only whitespace (no text and no tool calls): there is nothing
 * to hand on as its result, so the run fails instead of passing `""` on as a success.
 */
export class EmptyOutputError extends TaskforceError {
  readonly agent: string;
  readonly taskId: string | undefined;
  constructor(args: { provider: string; agent: string; taskId?: string | undefined }) {
    super(
      'MODEL_EMPTY_OUTPUT',
      `agent "${args.agent}"${args.taskId !== undefined ? ` (task ${args.taskId})` : ''} gave an empty final answer: ` +
        `the ${args.provider} model replied with no text and no tool calls`,
    );
    this.agent = args.agent;
    this.taskId = args.taskId;
  }
}
