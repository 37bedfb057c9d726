import { TaskforceError } from '../errors/taskforce-error.js';
import { formatProblem, type PlanProblem } from './problems.js';

/**
 * A plan broke the plan rules (duplicate ids, unknown or cyclic dependencies, unknown capabilities,
 * size bounds). Carries every problem found, not just the first. When the planner model produced the
 * plan, `attempts` says how many times it was asked.
 */
export class PlanValidationError extends TaskforceError {
  readonly problems: readonly PlanProblem[];
  /** Planner attempts made (1 for a plan that was not produced by a model). */
  readonly attempts: number;
  /** The file the plan came from, if any. */
  readonly source: string | undefined;

  constructor(args: { problems: readonly PlanProblem[]; attempts?: number; source?: string; goal?: string }) {
    const attempts = args.attempts ?? 1;
    const where = args.source !== undefined ? ` in ${args.source}` : '';
    const head =
      attempts > 1
        ? `the planner produced no valid plan${args.goal !== undefined ? ` for goal ${JSON.stringify(clip(args.goal))}` : ''} ` +
          `after ${attempts} attempts; problems of the last attempt`
        : `the plan${where} is invalid`;
    super('PLAN_INVALID', `${head} (${args.problems.length}):\n${args.problems.map((p) => `- ${formatProblem(p)}`).join('\n')}`);
    this.problems = args.problems;
    this.attempts = attempts;
    this.source = args.source;
  }
}

/** A plan file could not be read, parsed, or does not have the plan shape (`{ goal, tasks: [...] }`). */
export class PlanFileError extends TaskforceError {
  readonly source: string;
  readonly problems: readonly PlanProblem[];

  constructor(source: string, problems: readonly PlanProblem[], options?: { cause?: unknown }) {
    super(
      'PLAN_FILE_INVALID',
      `cannot load plan ${source} (${problems.length} problem(s)):\n${problems.map((p) => `- ${formatProblem(p)}`).join('\n')}`,
      options,
    );
    this.source = source;
    this.problems = problems;
  }
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
