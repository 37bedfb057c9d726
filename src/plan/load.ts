import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { yamlData } from '../util/yaml-data.js';
import { PlanFileError, PlanValidationError } from './errors.js';
import type { PlanProblem } from './problems.js';
import { schemaProblems } from './schema-problems.js';
import { treeOf } from './tree.js';
import { PlanSpec, type TaskTree } from './types.js';
import { validatePlan, type ValidatePlanOptions } from './validate.js';

export type PlanFormat = 'json' | 'yaml';

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
  const format = options.format ?? guessFormat(text, options.source);
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number) => lines.linePos(offset).line;

  let data: unknown;
  if (format === 'json') {
    try {
      data = JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const offset = /position (\d+)/.exec(message)?.[1];
      throw new PlanFileError(source, [
        { kind: 'syntax', source, message: `invalid JSON: ${message}`, ...(offset !== undefined ? { line: lineOfOffset(text, Number(offset)) } : {}) },
      ]);
    }
  } else {
    if (document.errors.length > 0)
      throw new PlanFileError(
        source,
        document.errors.map((error) => ({ kind: 'syntax', source, line: at(error.pos[0]), message: `invalid YAML: ${firstLine(error.message)}` })),
      );
    const read = yamlData(document);
    if (!read.ok) throw new PlanFileError(source, [{ kind: 'syntax', source, message: read.reason }], { cause: read.error });
    data = read.data;
  }
  // JSON is YAML, so the same document locates problems in either format; without it, no lines.
  const locate = (problem: PlanProblem): PlanProblem => {
    const line = document.errors.length === 0 && problem.path ? lineOfPath(document, problem.path, at) : undefined;
    return { ...problem, source, ...(line !== undefined ? { line } : {}) };
  };

  const parsed = PlanSpec.safeParse(data);
  if (!parsed.success) throw new PlanFileError(source, schemaProblems(parsed.error, data).map(locate));
  const result = validatePlan(parsed.data, options);
  if (!result.ok) throw new PlanValidationError({ problems: result.problems.map(locate), source });
  return treeOf(result.plan);
}

function guessFormat(text: string, source: string | undefined): PlanFormat {
  const extension = source !== undefined ? extname(source).toLowerCase() : '';
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

/** Line of the deepest node on `path` that exists (a missing field points at its task). */
function lineOfPath(document: Document, path: readonly (string | number)[], at: (offset: number) => number): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return at(node.range[0]);
  }
  return undefined;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
