import type { z } from 'zod';
import { formatPath, type PlanProblem } from './problems.js';

/**
 * Zod issues of a plan document as plan problems that name the task (by index and, when it has one,
 * id) and the field: `tasks[2] (task "draft") field "effort": Too small: expected number to be >0`.
 */
export function schemaProblems(error: z.ZodError, document: unknown): PlanProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
    const taskIndex = path[0] === 'tasks' && typeof path[1] === 'number' ? path[1] : undefined;
    const taskId = taskIndex !== undefined ? idAt(document, taskIndex) : undefined;
    const where =
      taskIndex !== undefined
        ? `tasks[${taskIndex}]${taskId !== undefined ? ` (task "${taskId}")` : ''}` +
          (path.length > 2 ? ` field "${formatPath(path.slice(2))}"` : '')
        : path.length > 0
          ? `field "${formatPath(path)}"`
          : 'the plan';
    const missing = issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
    const what = missing ? `is missing (${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')})` : issue.message;
    return { kind: 'schema', path, message: `${where}${missing ? ' ' : ': '}${what}`, ...(taskId !== undefined ? { taskId } : {}) };
  });
}

function idAt(document: unknown, index: number): string | undefined {
  const tasks = (document as { tasks?: unknown } | null)?.tasks;
  if (!Array.isArray(tasks)) return undefined;
  const id = (tasks[index] as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}
