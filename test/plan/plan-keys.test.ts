import { describe, expect, it } from 'vitest';
import { PlanFileError, PlanValidationError } from '../../src/plan/errors.js';
import { parsePlan } from '../../src/plan/load.js';
import { buildTaskTree } from '../../src/plan/tree.js';
import type { PlanSpecInput } from '../../src/plan/types.js';
import { runTaskTree } from '../../src/scheduler/scheduler.js';

/** The error `fn` throws, so a test can look at its fields. */
function failure(fn: () => unknown): PlanFileError & PlanValidationError {
  try {
    fn();
  } catch (error) {
    return error as PlanFileError & PlanValidationError;
  }
  throw new Error('expected a failure');
}

// `report` comes first in the file but needs `data`: only a kept dependency makes `data` run first.
const SNAKE_CASE = [
  'goal: Write the report',
  'tasks:',
  '  - id: report',
  '    title: Report',
  '    instructions: Write it up',
  '    depends_on: [data]',
  '  - id: data',
  '    title: Data',
  '    instructions: Gather the numbers',
  '',
].join('\n');

describe('plan keys', () => {
  it('accepts depends_on as dependsOn: the dependency is kept and the tasks run in order', async () => {
    const tree = parsePlan(SNAKE_CASE, { source: 'report.yaml' });
    expect(tree.tasks.map((task) => [task.id, task.dependsOn])).toEqual([
      ['data', []],
      ['report', ['data']],
    ]);
    expect(tree.tasks[1]).not.toHaveProperty('depends_on');

    const events: string[] = [];
    const result = await runTaskTree(tree, async (task) => {
      events.push(`start ${task.id}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`end ${task.id}`);
      return task.id;
    });
    expect(result.status).toBe('completed');
    expect(events).toEqual(['start data', 'end data', 'start report', 'end report']);
  });

  it.each([
    ['dependOn', 6, 'tasks[0] (task "report") field "dependOn": unknown key; did you mean "dependsOn"?'],
    ['capabilites', 6, 'tasks[0] (task "report") field "capabilites": unknown key; did you mean "capabilities"?'],
  ])('a misspelt task key %s is an error naming the line and the right key', (key, line, message) => {
    const text = SNAKE_CASE.replace('depends_on', key);
    const error = failure(() => parsePlan(text, { source: 'report.yaml' }));
    expect(error).toBeInstanceOf(PlanFileError);
    expect(error.code).toBe('PLAN_FILE_INVALID');
    expect(error.problems).toEqual([expect.objectContaining({ kind: 'schema', line, taskId: 'report', path: ['tasks', 0, key], message })]);
    expect(error.message).toContain(`report.yaml:${line}: ${message}`);
  });

  it('points at the key, not its value, when the value is a block on the next lines', () => {
    const text = SNAKE_CASE.replace('    depends_on: [data]', '    capabilites:\n      - writing');
    const error = failure(() => parsePlan(text, { source: 'report.yaml' }));
    expect(error.problems.map((p) => p.line)).toEqual([6]);
  });

  it('an unknown top-level key is an error with the closest known key', () => {
    const error = failure(() => parsePlan(`${SNAKE_CASE}task: []\n`, { source: 'report.yaml' }));
    expect(error.message).toContain('report.yaml:10: field "task": unknown key; did you mean "tasks"?');
  });

  it('lists the known keys when none is close', () => {
    const error = failure(() => parsePlan(SNAKE_CASE.replace('depends_on', 'zzzzzzzzz'), { source: 'report.yaml' }));
    expect(error.message).toMatch(/field "zzzzzzzzz": unknown key; known keys: "id", "title", "instructions", /);
  });

  it('both spellings at once is an error', () => {
    const text = SNAKE_CASE.replace('    depends_on: [data]', '    depends_on: [data]\n    dependsOn: [data]');
    const error = failure(() => parsePlan(text, { source: 'report.yaml' }));
    expect(error).toBeInstanceOf(PlanFileError);
    expect(error.message).toContain('report.yaml:6: tasks[0] (task "report") field "depends_on": "depends_on" and "dependsOn" are the same field, written twice; keep one');
  });

  it('reports unknown keys together with the other shape problems', () => {
    const text = SNAKE_CASE.replace('depends_on', 'dependOn').replace('    title: Data\n', '');
    const error = failure(() => parsePlan(text, { source: 'report.yaml' }));
    expect(error.problems.map((p) => p.message)).toEqual([
      'tasks[0] (task "report") field "dependOn": unknown key; did you mean "dependsOn"?',
      'tasks[1] (task "data") field "title" is missing (expected string)',
    ]);
  });

  describe('buildTaskTree (orchestrate({ plan }))', () => {
    const plan = (extra: Record<string, unknown>) =>
      ({
        goal: 'g',
        tasks: [
          { id: 'report', title: 'Report', instructions: 'Write it up', ...extra },
          { id: 'data', title: 'Data', instructions: 'Gather' },
        ],
      }) as PlanSpecInput;

    it('accepts depends_on', () => {
      expect(buildTaskTree(plan({ depends_on: ['data'] })).tasks.map((t) => t.id)).toEqual(['data', 'report']);
    });

    it('refuses a misspelt key with PlanValidationError naming the task, field and right key', () => {
      const error = failure(() => buildTaskTree(plan({ dependOn: ['data'] })));
      expect(error).toBeInstanceOf(PlanValidationError);
      expect(error.message).toContain('tasks[0] (task "report") field "dependOn": unknown key; did you mean "dependsOn"?');
    });

    it('refuses both spellings at once', () => {
      const error = failure(() => buildTaskTree(plan({ dependsOn: ['data'], depends_on: ['data'] })));
      expect(error).toBeInstanceOf(PlanValidationError);
      expect(error.message).toContain('"depends_on" and "dependsOn" are the same field');
    });
  });
});
