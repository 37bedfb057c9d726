import { TaskforceError } from '../errors/taskforce-error.js';
import { formatWorkflowProblem, type WorkflowProblem } from './problems.js';

/**
 * An expression of the workflow language (`when`, `until`, `in`) cannot be parsed or evaluated: bad
 * syntax, an unknown name or function, an operator on the wrong types, or a limit reached. When the
 * source is known the message quotes it and points at the problem with a caret line:
 *
 *     expression "outputs.a.count >" at column 17: expected a value after ">"
 *       outputs.a.count >
 *                       ^
 */
export class WorkflowExpressionError extends TaskforceError {
  /** What is wrong, without the position (e.g. `expected a value after ">"`). */
  readonly problem: string;
  /** The expression's text, when known. */
  readonly source: string | undefined;
  /** 1-based column of the problem in `source`, when known. */
  readonly column: number | undefined;

  constructor(problem: string, source?: string, column?: number) {
    // The message shows the source on one line (newlines and tabs as spaces) so the caret lines up.
    const shown = source?.replace(/\s/g, ' ');
    const where = column === undefined ? '' : ` at column ${column}`;
    const head = shown === undefined ? `expression${where}: ${problem}` : `expression "${shown}"${where}: ${problem}`;
    const caret = shown !== undefined && column !== undefined ? `\n  ${shown}\n  ${' '.repeat(column - 1)}^` : '';
    super('WORKFLOW_EXPRESSION_INVALID', head + caret);
    this.problem = problem;
    this.source = source;
    this.column = column;
  }
}

/**
 * A workflow file could not be read, parsed, or is not a valid workflow: wrong shape, an unknown key,
 * a step with no or two kind keys, a duplicate or unknown step id, a bad `goto`, a `workflow:`
 * reference that cannot be loaded or that loops. Carries every problem found, each naming the file,
 * the line, the step (path and id) and the field.
 */
export class WorkflowFileError extends TaskforceError {
  readonly source: string;
  readonly problems: readonly WorkflowProblem[];

  constructor(source: string, problems: readonly WorkflowProblem[], options?: { cause?: unknown }) {
    super(
      'WORKFLOW_FILE_INVALID',
      `cannot load workflow ${source} (${problems.length} problem(s)):\n${problems.map((p) => `- ${formatWorkflowProblem(p)}`).join('\n')}`,
      options,
    );
    this.source = source;
    this.problems = problems;
  }
}

/** A task's answer does not match the JSON Schema its step declares as `output`. */
export class WorkflowOutputError extends TaskforceError {
  readonly stepId: string;
  constructor(stepId: string, problems: readonly string[]) {
    super('WORKFLOW_OUTPUT_INVALID', `step "${stepId}": the output does not match its declared schema: ${problems.join('; ')}`);
    this.stepId = stepId;
  }
}

/** Something a workflow can only find out while it runs: `for_each` over a value that is not a list, an agent's unknown branch. */
export class WorkflowRunError extends TaskforceError {
  readonly stepId: string;
  constructor(stepId: string, problem: string) {
    super('WORKFLOW_RUN_INVALID', `step "${stepId}": ${problem}`);
    this.stepId = stepId;
  }
}
