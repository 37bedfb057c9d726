/** What is wrong with a workflow file; stable, so callers and tests can branch on it. */
export type WorkflowProblemKind =
  | 'unreadable'
  | 'syntax'
  | 'schema'
  | 'unknown-key'
  | 'step-kind'
  | 'duplicate-id'
  | 'unknown-step'
  | 'goto-target'
  | 'reference'
  | 'reference-cycle'
  | 'file-kind';

/** One thing wrong with a workflow file: what, which step, and where. */
export interface WorkflowProblem {
  readonly kind: WorkflowProblemKind;
  /** Self-contained: names the step (path and id) and the field, e.g. `steps[2].parallel[0] (step "draft") field "agnet": ...`. */
  readonly message: string;
  /** Where in the document, e.g. `['steps', 2, 'parallel', 0, 'agnet']`. */
  readonly path?: readonly (string | number)[];
  /** The id of the step the problem belongs to, when it has one. */
  readonly stepId?: string;
  /** The file (or other source name). */
  readonly source?: string;
  /** 1-based line in `source`, when known. */
  readonly line?: number;
}

/** `file.yaml:12: message` (or the message alone without a source). */
export function formatWorkflowProblem(problem: WorkflowProblem): string {
  if (problem.source === undefined) return problem.message;
  return `${problem.source}${problem.line !== undefined ? `:${problem.line}` : ''}: ${problem.message}`;
}
