/** What kind of rule a plan broke; stable, so callers and tests can branch on it. */
export type PlanProblemKind =
  | 'unreadable'
  | 'syntax'
  | 'schema'
  | 'duplicate-id'
  | 'unknown-dependency'
  | 'self-dependency'
  | 'cycle'
  | 'unknown-capability'
  | 'unknown-agent'
  | 'too-many-tasks'
  | 'too-broad'
  | 'too-deep';

/** One thing wrong with a plan: what, which task, and where in the document. */
export interface PlanProblem {
  readonly kind: PlanProblemKind;
  /** Human-readable and self-contained: names the task, the field and the offending value. */
  readonly message: string;
  /** The task the problem belongs to, when there is one. */
  readonly taskId?: string;
  /** Where in the plan document, e.g. `['tasks', 2, 'dependsOn', 0]`. */
  readonly path?: readonly (string | number)[];
  /** The file (or other source name) the plan came from. */
  readonly source?: string;
  /** 1-based line in `source`, when known. */
  readonly line?: number;
}

/** `tasks[2].dependsOn[0]` for `['tasks', 2, 'dependsOn', 0]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

/** One line for a problem: `plan.yaml:14 (tasks[2].dependsOn[0]): message` when it has a location. */
export function formatProblem(problem: PlanProblem): string {
  if (problem.source === undefined) return problem.message;
  const line = problem.line !== undefined ? `:${problem.line}` : '';
  // Schema messages already name the task and field.
  const path = problem.kind !== 'schema' && problem.path && problem.path.length > 0 ? ` (${formatPath(problem.path)})` : '';
  return `${problem.source}${line}${path}: ${problem.message}`;
}
