import { TaskforceError } from '../errors/taskforce-error.js';

/**
 * Synthesis gave up: in strict mode, no attempt passed its checks; with an `outputSchema`, no attempt
 * produced a value matching it (so there is nothing typed to return). The best attempt's raw reply
 * and problems are kept here, so the work is not lost.
 */
export class SynthesisError extends TaskforceError {
  readonly attempts: number;
  /** Problems of the best attempt. */
  readonly problems: readonly string[];
  /** Raw reply of the best attempt. */
  readonly raw: string;
  constructor(args: { reason: string; attempts: number; problems: readonly string[]; raw: string }) {
    super(
      'SYNTHESIS_FAILED',
      `synthesis failed after ${args.attempts} attempt(s): ${args.reason}` +
        (args.problems.length ? `; problems: ${args.problems.join('; ')}` : ''),
    );
    this.attempts = args.attempts;
    this.problems = args.problems;
    this.raw = args.raw;
  }
}
