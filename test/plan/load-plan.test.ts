import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlanFileError, PlanValidationError } from '../../src/plan/errors.js';
import { loadPlanFile, parsePlan } from '../../src/plan/load.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

/** "Billion laughs": each line repeats the one before nine times, so the last stands for 9⁶ strings. */
const BILLION_LAUGHS = [
  'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ...['b', 'c', 'd', 'e', 'f'].map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcde'[i]}`).join(', ')}]`),
  'goal: boom',
  'tasks: [{ id: t, title: T, instructions: "*f" }]',
].join('\n');

/** The error `fn` throws (or rejects with), so a test can look at its fields. */
async function failure(fn: () => unknown): Promise<PlanFileError & PlanValidationError> {
  try {
    await fn();
  } catch (error) {
    return error as PlanFileError & PlanValidationError;
  }
  throw new Error('expected a failure');
}

describe('loadPlanFile', () => {
  it.each(['release.yaml', 'release.json'])('loads, validates and analyses %s', async (name) => {
    const tree = await loadPlanFile(fixture(name), { knownCapabilities: ['research', 'writing'] });
    expect(tree.goal).toBe('Publish the v2.0 release notes');
    expect(tree.tasks.map((t) => t.id)).toEqual(['collect', 'highlights', 'draft']);
    expect(tree.tasks[2]).toMatchObject({ dependsOn: ['highlights'], priority: 'critical', effort: 3 });
    expect(tree.tasks[1]).toMatchObject({ capabilities: [], priority: 'medium', effort: 1 });
    expect(tree.droppedEdges).toEqual([['draft', 'collect']]);
    expect(tree.analysis.criticalPathEffort).toBe(6);
  });

  it('names the file when it cannot be read', async () => {
    const missing = fixture('no-such-plan.yaml');
    const error = await failure(() => loadPlanFile(missing));
    expect(error).toBeInstanceOf(PlanFileError);
    expect(error.code).toBe('PLAN_FILE_INVALID');
    expect(error.message).toContain(`${missing}: cannot read the file (ENOENT)`);
  });

  it('reports rule problems with the file, line and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskforce-plan-'));
    const path = join(dir, 'loop.yml');
    writeFileSync(
      path,
      ['goal: g', 'tasks:', '  - id: a', '    title: A', '    instructions: do a', '    dependsOn: [b]', '  - id: b', '    title: B', '    instructions: do b', '    dependsOn: [a, zz]', ''].join('\n'),
    );
    const error = await failure(() => loadPlanFile(path));
    expect(error).toBeInstanceOf(PlanValidationError);
    expect(error.code).toBe('PLAN_INVALID');
    expect(error.source).toBe(path);
    expect(error.problems.map((p) => [p.kind, p.line])).toEqual([
      ['unknown-dependency', 10],
      ['cycle', 6],
    ]);
    expect(error.message).toContain(`${path}:10 (tasks[1].dependsOn[1]): task "b" depends on unknown task "zz"`);
    expect(error.message).toContain(`${path}:6 (tasks[0].dependsOn): dependency cycle: a → b → a`);
  });
});

describe('parsePlan', () => {
  it('reports YAML syntax errors with their line', async () => {
    const text = 'goal: g\ntasks:\n  - id: a\n    title: [unclosed\n';
    const error = await failure(() => parsePlan(text, { source: 'bad.yaml' }));
    expect(error).toBeInstanceOf(PlanFileError);
    expect(error.problems[0]).toMatchObject({ kind: 'syntax', source: 'bad.yaml' });
    expect(error.problems[0]!.line).toBeGreaterThanOrEqual(4);
    expect(error.message).toMatch(/bad\.yaml:\d+: invalid YAML: /);
  });

  it('refuses a YAML bomb (aliases that expand exponentially) with PlanFileError naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskforce-plan-'));
    const path = join(dir, 'bomb.yaml');
    writeFileSync(path, BILLION_LAUGHS);
    const error = await failure(() => loadPlanFile(path));
    expect(error).toBeInstanceOf(PlanFileError);
    expect(error.code).toBe('PLAN_FILE_INVALID');
    expect(error.message).toContain(`${path}: invalid YAML: Excessive alias count`);
  });

  it('reports JSON syntax errors with their line', async () => {
    const text = '{\n  "goal": "g",\n  "tasks": [\n    { "id": "a", }\n  ]\n}\n';
    const error = await failure(() => parsePlan(text, { source: 'bad.json' }));
    expect(error.problems[0]).toMatchObject({ kind: 'syntax', line: 4 });
    expect(error.message).toContain('bad.json:4: invalid JSON');
  });

  it('names the task index, id, field and line of a shape error in YAML', async () => {
    const text = ['goal: g', 'tasks:', '  - id: a', '    title: A', '    instructions: do a', '    effort: -2', '  - id: b', '    instructions: do b', ''].join('\n');
    const error = await failure(() => parsePlan(text, { source: 'plan.yaml' }));
    expect(error).toBeInstanceOf(PlanFileError);
    expect(error.problems.map((p) => [p.line, p.message])).toEqual([
      [6, expect.stringMatching(/^tasks\[0\] \(task "a"\) field "effort": Too small/)],
      [7, 'tasks[1] (task "b") field "title" is missing (expected string)'],
    ]);
    expect(error.message).toContain('plan.yaml:6: tasks[0] (task "a") field "effort": Too small');
  });

  it('names the field and line of a shape error in JSON', async () => {
    const text = '{\n  "goal": "g",\n  "tasks": [\n    { "id": "a", "title": "A", "instructions": "x", "priority": "urgent" }\n  ]\n}';
    const error = await failure(() => parsePlan(text, { format: 'json', source: 'plan.json' }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ kind: 'schema', line: 4, path: ['tasks', 0, 'priority'], taskId: 'a' });
  });

  it('rejects a document that is not a plan', async () => {
    const error = await failure(() => parsePlan('- just\n- a list\n', { source: 'list.yaml' }));
    expect(error).toBeInstanceOf(PlanFileError);
    expect(error.message).toContain('list.yaml:1: the plan: Invalid input: expected object');
  });

  it('rejects duplicate keys in YAML instead of keeping the last', async () => {
    const error = await failure(() => parsePlan('goal: g\ngoal: h\ntasks: []\n', { format: 'yaml' }));
    expect(error.problems[0]).toMatchObject({ kind: 'syntax', line: 2 });
  });

  it('checks capabilities and pinned agents when told which exist', async () => {
    const text = JSON.stringify({ goal: 'g', tasks: [{ id: 'a', title: 'A', instructions: 'x', capabilities: ['codng'], agent: 'coder' }] });
    const error = await failure(() => parsePlan(text, { knownCapabilities: ['coding'], knownAgents: ['coder'] }));
    expect(error.problems.map((p) => p.kind)).toEqual(['unknown-capability']);
    expect(error.message).toContain('<plan>:1 (tasks[0].capabilities[0]): task "a" needs capability "codng"');
  });
});
