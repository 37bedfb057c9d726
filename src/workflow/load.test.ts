import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { OUTPUT, render } from '../../scripts/workflow-schema.js';
import { PlanFileError } from '../plan/errors.js';
import { WorkflowFileError } from './errors.js';
import { loadRunFile, loadWorkflowFile, parseWorkflow } from './load.js';
import { WorkflowSchema } from './types.js';

/** The error `fn` rejects with, so a test can look at its fields. */
async function failure(fn: () => Promise<unknown>): Promise<WorkflowFileError> {
  try {
    await fn();
  } catch (error) {
    return error as WorkflowFileError;
  }
  throw new Error('expected a failure');
}

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;
const parse = (text: string) => parseWorkflow(text, { source: 'flow.yaml' });
/** The problems of a text that must fail, as `line: message`. */
async function problems(text: string): Promise<string[]> {
  const error = await failure(() => parse(text));
  expect(error).toBeInstanceOf(WorkflowFileError);
  expect(error.code).toBe('WORKFLOW_FILE_INVALID');
  return error.problems.map((p) => `${p.line}: ${p.message}`);
}

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'taskforce-workflow-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Every step kind once. */
const EVERY_KIND = yaml(
  'workflow: "2.0"',
  'goal: Ship it',
  'steps:',
  '  - id: plan',
  '    instructions: Plan the work',
  '    output: { type: object }',
  '  - sequence:',
  '      - { id: a, instructions: Do a, inputs: [plan] }',
  '  - parallel:',
  '      - { id: b, instructions: Do b }',
  '  - choice:',
  '      branches: [{ when: "outputs.plan.big", steps: [{ id: c, instructions: Do c }] }]',
  '      otherwise: [{ id: d, instructions: Do d }]',
  '  - multi_choice: [{ label: x, steps: [{ id: e, instructions: Do e }] }]',
  '  - first: { branches: [{ id: f, instructions: Do f }], rest: ignore }',
  '  - merge: { branches: [{ id: g, instructions: Do g }], then: [{ id: h, instructions: Do h }] }',
  '  - repeat: { steps: [{ id: i, instructions: Do i }], until: "outputs.i.done", max: 3 }',
  '  - for_each: { in: "outputs.plan.items", as: item, steps: [{ id: j, instructions: Do j }] }',
  '  - id: zone',
  '    region: [{ id: k, instructions: Do k }]',
  '  - cancel: zone',
  '    when: "outputs.k.stop"',
  '  - race: [{ after: 1000, steps: [{ id: l, instructions: Do l }] }, { approval: true, steps: [] }]',
  '  - workflow: { goal: Inner, steps: [{ id: m, instructions: Do m }] }',
  '  - { id: sub, goal: Plan this part yourself }',
  '  - id: check',
  '    instructions: Check',
  '  - goto: { to: check, when: "outputs.check.failed", max: 2 }',
);

describe('parseWorkflow', () => {
  it('reads a workflow with every step kind', async () => {
    const workflow = await parse(EVERY_KIND);
    expect(workflow.goal).toBe('Ship it');
    expect(workflow.steps).toHaveLength(16);
    expect(workflow.steps[12]).toEqual({ workflow: { goal: 'Inner', steps: [{ id: 'm', instructions: 'Do m' }] } });
  });

  it('reads JSON too', async () => {
    const workflow = await parseWorkflow(JSON.stringify({ goal: 'g', steps: [{ id: 'a', instructions: 'x' }] }), { source: 'flow.json' });
    expect(workflow.steps).toEqual([{ id: 'a', instructions: 'x' }]);
  });

  it('reports YAML syntax errors with their line', async () => {
    expect(await problems('goal: g\nsteps:\n  - id: [unclosed\n')).toEqual([expect.stringMatching(/^\d+: invalid YAML: /)]);
  });

  it('names the file, line, step path and id, and suggests the closest key of that step kind', async () => {
    const text = yaml('goal: g', 'steps:', '  - id: a', '    instructions: x', '  - parallel:', '      - id: draft', '        instructions: y', '        agnet: writer');
    expect(await problems(text)).toEqual(['8: steps[1].parallel[0] (step "draft") field "agnet": unknown key; did you mean "agent"?']);
    const error = await failure(() => parse(text));
    expect(error.problems[0]).toMatchObject({ kind: 'unknown-key', stepId: 'draft', path: ['steps', 1, 'parallel', 0, 'agnet'], source: 'flow.yaml' });
    expect(error.message).toContain('flow.yaml:8: steps[1].parallel[0] (step "draft") field "agnet"');
  });

  it('suggests "inputs" for depends_on on a workflow task', async () => {
    const text = yaml('goal: g', 'steps:', '  - id: a', '    instructions: x', '  - id: b', '    instructions: y', '    depends_on: [a]');
    expect(await problems(text)).toEqual([expect.stringMatching(/^7: steps\[1\] \(step "b"\) field "depends_on": unknown key; did you mean "inputs"\?/)]);
  });

  it('suggests keys inside a step kind, a branch and at the top', async () => {
    const text = yaml('goal: g', 'stepz: []', 'steps:', '  - repeat:', '      steps: [{ id: a, instructions: x }]', '      untill: "true"', '      max: 2', '  - choice:', '      branches:', '        - { wen: "true", steps: [] }');
    expect(await problems(text)).toEqual([
      '2: field "stepz": unknown key; did you mean "steps"?',
      '6: steps[0] field "repeat.untill": unknown key; did you mean "until"?',
      '10: steps[1] field "choice.branches[0].wen": unknown key; did you mean "when"?',
    ]);
  });

  it('lists the kinds for a step with no kind key, and points at a misspelt one', async () => {
    const text = yaml('goal: g', 'steps:', '  - id: a', '    paralel: []');
    const found = await problems(text);
    expect(found[0]).toBe('4: steps[0] (step "a") field "paralel": unknown key; did you mean "parallel"?');
    expect(found[1]).toMatch(/^3: steps\[0\] \(step "a"\) has no kind key: a step needs exactly one of "instructions" \(a task\), "sequence", "parallel", .*"goal"$/);
  });

  it('names both kind keys of a step with two', async () => {
    const text = yaml('goal: g', 'steps:', '  - sequence: []', '    parallel: []');
    expect(await problems(text)).toEqual([
      '4: steps[0] field "parallel": the step has two kind keys, "sequence" and "parallel": a step is exactly one kind; make them separate steps (or nest one in the other)',
    ]);
  });

  it('reports a shape error inside a step by its kind, not as a union of every kind', async () => {
    const text = yaml('goal: g', 'steps:', '  - parallel:', '      - id: a', '        instructions: x', '        priority: urgent', '  - repeat: { steps: [], until: "true" }');
    expect(await problems(text)).toEqual([
      '6: steps[0].parallel[0] (step "a") field "priority": Invalid option: expected one of "low"|"medium"|"high"|"critical"',
      '7: steps[1] field "repeat.max" is missing (expected number)',
    ]);
  });

  it('refuses a step id used twice, naming both lines', async () => {
    const text = yaml('goal: g', 'steps:', '  - id: a', '    instructions: x', '  - parallel:', '      - id: a', '        instructions: y');
    expect(await problems(text)).toEqual(['6: steps[1].parallel[0] (step "a") field "id": step id "a" is already the id of steps[0] (line 3); step ids are unique across the workflow']);
  });

  it('refuses a region id used twice', async () => {
    const text = yaml('goal: g', 'steps:', '  - { id: r, region: [] }', '  - { id: r, region: [] }');
    expect(await problems(text)).toEqual([expect.stringMatching(/^4: steps\[1\] \(step "r"\) field "id": step id "r" is already the id of steps\[0\] \(line 3\)/)]);
  });

  it('refuses inputs, goto and cancel naming no step', async () => {
    const text = yaml(
      'goal: g',
      'steps:',
      '  - { id: draft, instructions: x }',
      '  - { id: b, instructions: y, inputs: [draf] }',
      '  - goto: { to: nowhere, when: "true", max: 1 }',
      '  - cancel: drfat',
    );
    expect(await problems(text)).toEqual([
      '4: steps[1] (step "b") field "inputs[0]": no step has id "draf"; did you mean "draft"?',
      '5: steps[2] field "goto.to": no step has id "nowhere"',
      '6: steps[3] field "cancel": no step has id "drfat"; did you mean "draft"? (or "case", the whole run)',
    ]);
  });

  it('accepts cancel: case', async () => {
    await expect(parse(yaml('goal: g', 'steps:', '  - cancel: case'))).resolves.toBeDefined();
  });

  it('refuses a goto to a later step or one in another sequence', async () => {
    const text = yaml(
      'goal: g',
      'steps:',
      '  - { id: inner, sequence: [{ id: deep, instructions: x }] }',
      '  - goto: { to: deep, when: "true", max: 1 }',
      '  - goto: { to: later, when: "true", max: 1 }',
      '  - { id: later, instructions: y }',
    );
    expect(await problems(text)).toEqual([
      '4: steps[1] field "goto.to": goto must name an earlier step of the same sequence, and "deep" (steps[0].sequence[0]) is not one',
      '5: steps[2] field "goto.to": goto must name an earlier step of the same sequence, and "later" (steps[3]) is not one',
    ]);
  });

  it('gives a nested workflow its own ids', async () => {
    const text = yaml('goal: g', 'steps:', '  - { id: a, instructions: x }', '  - workflow: { goal: inner, steps: [{ id: a, instructions: y }, { id: b, instructions: z, inputs: [nope] }] }');
    expect(await problems(text)).toEqual(['4: steps[1].workflow.steps[1] (step "b") field "inputs[0]": no step has id "nope"']);
  });
});

describe('workflow references', () => {
  it('loads a referenced file relative to the file that names it, recursively', async () => {
    const dir = folder({
      'main.yaml': yaml('goal: main', 'steps:', '  - { id: prep, instructions: x }', '  - { id: part, workflow: parts/part.yaml }'),
      'leaf.yaml': yaml('goal: leaf', 'steps:', '  - { id: l, instructions: z }'),
    });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'parts'));
    writeFileSync(join(dir, 'parts', 'part.yaml'), yaml('goal: part', 'steps:', '  - workflow: ../leaf.yaml'));
    const workflow = await loadWorkflowFile(join(dir, 'main.yaml'));
    expect(workflow.steps[1]).toEqual({
      id: 'part',
      workflow: { goal: 'part', steps: [{ workflow: { goal: 'leaf', steps: [{ id: 'l', instructions: 'z' }] } }] },
    });
  });

  it('reports a reference cycle with the chain of files', async () => {
    const dir = folder({
      'a.yaml': yaml('goal: a', 'steps:', '  - workflow: b.yaml'),
      'b.yaml': yaml('goal: b', 'steps:', '  - { id: x, instructions: y }', '  - workflow: a.yaml'),
    });
    const error = await failure(() => loadWorkflowFile(join(dir, 'a.yaml')));
    expect(error).toBeInstanceOf(WorkflowFileError);
    expect(error.problems).toEqual([
      expect.objectContaining({
        kind: 'reference-cycle',
        source: join(dir, 'b.yaml'),
        line: 4,
        message: `steps[1] field "workflow": workflow reference cycle: ${['a', 'b', 'a'].map((n) => join(dir, `${n}.yaml`)).join(' → ')}`,
      }),
    ]);
  });

  it('reports a workflow that references itself', async () => {
    const dir = folder({ 'self.yaml': yaml('goal: a', 'steps:', '  - workflow: ./self.yaml') });
    const error = await failure(() => loadWorkflowFile(join(dir, 'self.yaml')));
    expect(error.problems[0]).toMatchObject({ kind: 'reference-cycle', line: 3 });
  });

  it('reports a missing referenced file at the line that names it', async () => {
    const dir = folder({ 'main.yaml': yaml('goal: a', 'steps:', '  - { id: x, instructions: y }', '  - workflow: gone.yaml') });
    const error = await failure(() => loadWorkflowFile(join(dir, 'main.yaml')));
    expect(error.message).toContain(`main.yaml:4: steps[1] field "workflow": cannot read the referenced workflow ${join(dir, 'gone.yaml')} (ENOENT)`);
  });

  it('reports a problem inside a referenced file with that file and line', async () => {
    const dir = folder({ 'main.yaml': yaml('goal: a', 'steps:', '  - workflow: sub.yaml'), 'sub.yaml': yaml('goal: s', 'steps:', '  - { id: x, instrucions: y }') });
    const error = await failure(() => loadWorkflowFile(join(dir, 'main.yaml')));
    expect(error.problems[0]).toMatchObject({ source: join(dir, 'sub.yaml'), line: 3, kind: 'unknown-key' });
    expect(error.problems[0]!.message).toContain('did you mean "instructions"?');
  });

  it('resolves references of an in-memory text from baseDir', async () => {
    const dir = folder({ 'sub.yaml': yaml('goal: s', 'steps:', '  - { id: x, instructions: y }') });
    const workflow = await parseWorkflow(yaml('goal: a', 'steps:', '  - workflow: sub.yaml'), { baseDir: dir });
    expect(workflow.steps[0]).toEqual({ workflow: { goal: 's', steps: [{ id: 'x', instructions: 'y' }] } });
  });
});

describe('loadWorkflowFile', () => {
  it('names the file when it cannot be read', async () => {
    const error = await failure(() => loadWorkflowFile('/no/such/flow.yaml'));
    expect(error).toBeInstanceOf(WorkflowFileError);
    expect(error.message).toContain('/no/such/flow.yaml: cannot read the file (ENOENT)');
  });
});

describe('loadRunFile', () => {
  it('reads a workflow (steps)', async () => {
    const dir = folder({ 'flow.yaml': yaml('goal: g', 'steps:', '  - { id: a, instructions: x }') });
    const run = await loadRunFile(join(dir, 'flow.yaml'));
    expect(run).toEqual({ kind: 'workflow', workflow: { goal: 'g', steps: [{ id: 'a', instructions: 'x' }] } });
  });

  it('reads a plan (tasks), depends_on included', async () => {
    const dir = folder({
      'plan.yaml': yaml('goal: g', 'tasks:', '  - { id: b, title: B, instructions: y, depends_on: [a] }', '  - { id: a, title: A, instructions: x }'),
    });
    const run = await loadRunFile(join(dir, 'plan.yaml'));
    expect(run.kind).toBe('plan');
    if (run.kind === 'plan') expect(run.tree.tasks.map((t) => [t.id, t.dependsOn])).toEqual([['a', []], ['b', ['a']]]);
  });

  it('reports a plan problem as the plan error', async () => {
    const dir = folder({ 'plan.json': JSON.stringify({ goal: 'g', tasks: [{ id: 'a', title: 'A', instructions: 'x', dependOn: [] }] }) });
    await expect(loadRunFile(join(dir, 'plan.json'))).rejects.toThrow(PlanFileError);
  });

  it('refuses a file with both steps and tasks, or neither', async () => {
    const dir = folder({ 'both.yaml': yaml('goal: g', 'steps: []', 'tasks: []'), 'none.yaml': yaml('goal: g') });
    const both = await failure(() => loadRunFile(join(dir, 'both.yaml')));
    expect(both).toBeInstanceOf(WorkflowFileError);
    expect(both.message).toContain('both.yaml:3: the file has both "steps" (a workflow) and "tasks" (a plan)');
    const none = await failure(() => loadRunFile(join(dir, 'none.yaml')));
    expect(none.message).toContain('the file has neither "steps" (a workflow) nor "tasks" (a plan)');
  });
});

describe('schemas/workflow.schema.json', () => {
  it('is up to date with WorkflowSchema', () => {
    const current = readFileSync(OUTPUT, 'utf8');
    expect(current, 'schemas/workflow.schema.json is out of date: run `node --import tsx scripts/workflow-schema.ts`').toBe(render());
  });

  it('is a draft 2020-12 schema with its $id, recursive through $defs', () => {
    const schema = JSON.parse(render());
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'https://taskforce.dev/schemas/workflow.schema.json' });
    expect(schema.title).toEqual(expect.any(String));
    expect(Object.keys(schema.$defs ?? {})).not.toHaveLength(0);
  });

  it('accepts a sample with every step kind and refuses a broken one', async () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(render()));
    const sample = WorkflowSchema.parse((await import('yaml')).parse(EVERY_KIND));
    expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ goal: 'g', steps: [{ id: 'a', instructions: 'x', agnet: 'w' }] })).toBe(false);
    expect(validate({ goal: 'g', steps: [{ parallel: [{ sequence: [{ repeat: { steps: [], until: 'x', max: 0 } }] }] }] })).toBe(false);
  });
});
