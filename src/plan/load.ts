import { readFile } from 'node:fs/promises';
import { readDataDocument, type DataFormat } from '../util/data-document.js';
import { PlanFileError, PlanValidationError } from './errors.js';
import type { PlanProblem } from './problems.js';
import { schemaProblems } from './schema-problems.js';
import { treeOf } from './tree.js';
import { PlanSpec, type TaskTree } from './types.js';
import { normaliseUserPlan } from './user-plan.js';
import { validatePlan, type ValidatePlanOptions } from './validate.js';

export type PlanFormat = DataFormat;

export interface ParsePlanOptions extends ValidatePlanOptions {
  /** `json` or `yaml`; default: from the source's extension, else JSON when the text starts with `{`. */
  readonly format?: PlanFormat;
  /** Name used in error messages (usually the file path); default `"<plan>"`. */
  readonly source?: string;
}

/**
 * Reads a plan the user wrote (`{ goal, tasks: [...] }` in JSON or YAML), checks its shape with zod and
 * the plan rules, and returns the analysed `TaskTree`.
 *
 * Errors name the file, the line, the task (index and id) and the field:
 * - unreadable file, bad syntax or wrong shape → `PlanFileError` (code `PLAN_FILE_INVALID`);
 * - a rule broken (cycle, unknown dependency, ...) → `PlanValidationError` (code `PLAN_INVALID`).
 *
 * @example
 * const tree = await loadPlanFile('plans/release.yaml', { knownCapabilities: ['writing'] });
 */
export async function loadPlanFile(path: string, options: Omit<ParsePlanOptions, 'source'> = {}): Promise<TaskTree> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new PlanFileError(path, [{ kind: 'unreadable', source: path, message: `cannot read the file (${reason})` }], { cause: error });
  }
  return parsePlan(text, { ...options, source: path });
}

/** Like `loadPlanFile`, for a plan already in memory. */
export function parsePlan(text: string, options: ParsePlanOptions = {}): TaskTree {
  const source = options.source ?? '<plan>';
  const read = readDataDocument(text, { ...(options.format !== undefined ? { format: options.format } : {}), source: options.source });
  if (!read.ok)
    throw new PlanFileError(
      source,
      read.problems.map((problem) => ({ kind: 'syntax', source, ...problem })),
      read.cause !== undefined ? { cause: read.cause } : undefined,
    );
  // An unknown key points at its own line; a schema or rule problem at its field (or the task).
  const locate = (problem: PlanProblem): PlanProblem => {
    const line = problem.path ? (problem.kind === 'schema' ? read.lineOfKey(problem.path) : read.lineOf(problem.path)) : undefined;
    return { ...problem, source, ...(line !== undefined ? { line } : {}) };
  };

  const user = normaliseUserPlan(read.data);
  const parsed = PlanSpec.safeParse(user.data);
  const shapeProblems = [...user.problems, ...(parsed.success ? [] : schemaProblems(parsed.error, user.data))];
  if (!parsed.success || shapeProblems.length > 0) throw new PlanFileError(source, shapeProblems.map(locate));
  const result = validatePlan(parsed.data, options);
  if (!result.ok) throw new PlanValidationError({ problems: result.problems.map(locate), source });
  return treeOf(result.plan);
}
