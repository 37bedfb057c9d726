import type { PlanProblem } from './problems.js';
import { unknownKeyHint } from './nearest.js';
import { PlanSpec, TaskSpec } from './types.js';

/** Keys a plan may have at the top level and on a task (the zod shapes, so they stay in step). */
const PLAN_KEYS: readonly string[] = Object.keys(PlanSpec.shape);
const TASK_KEYS: readonly string[] = Object.keys(TaskSpec.shape);

/** Spellings accepted on purpose for a task key: `depends_on` (the snake_case of other tools) for `dependsOn`. */
const TASK_KEY_ALIASES: Readonly<Record<string, string>> = { depends_on: 'dependsOn' };

/**
 * A plan as a user wrote it (file or `orchestrate({ plan })`), before the zod shape check: aliases
 * (`depends_on`) renamed to their key, and every key the plan format does not have reported, with the
 * closest known key. `PlanSpec` itself strips unknown keys (the planner model's replies may carry
 * extra ones), so without this check a misspelt `dependOn` would silently drop the dependencies.
 *
 * Problems are of kind `schema`, their messages name the task (index and id) and the field like
 * `schemaProblems` does; their `path` ends at the offending key.
 */
export function normaliseUserPlan(input: unknown): { readonly data: unknown; readonly problems: readonly PlanProblem[] } {
  if (!isRecord(input)) return { data: input, problems: [] };
  const problems: PlanProblem[] = [];
  for (const key of Object.keys(input))
    if (!PLAN_KEYS.includes(key)) problems.push({ kind: 'schema', path: [key], message: `field "${key}": unknown key; ${unknownKeyHint(key, PLAN_KEYS)}` });
  if (!Array.isArray(input.tasks)) return { data: input, problems };

  const tasks = input.tasks.map((task: unknown, index: number) => {
    if (!isRecord(task)) return task;
    const id = typeof task.id === 'string' && task.id.length > 0 ? task.id : undefined;
    const where = `tasks[${index}]${id !== undefined ? ` (task "${id}")` : ''}`;
    const problem = (key: string, message: string): void => {
      problems.push({ kind: 'schema', path: ['tasks', index, key], message: `${where} field "${key}": ${message}`, ...(id !== undefined ? { taskId: id } : {}) });
    };
    let out: Record<string, unknown> = task;
    for (const key of Object.keys(task)) {
      const alias = TASK_KEY_ALIASES[key];
      if (alias !== undefined) {
        if (alias in task) problem(key, `"${key}" and "${alias}" are the same field, written twice; keep one`);
        else {
          out = { ...out, [alias]: task[key] };
          delete out[key];
        }
      } else if (!TASK_KEYS.includes(key)) problem(key, `unknown key; ${unknownKeyHint(key, TASK_KEYS)}`);
    }
    return out;
  });
  return { data: { ...input, tasks }, problems };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
