import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resumeRun } from '../../src/api/resume.js';
import { memoryRunStore } from '../../src/store/memory-run-store.js';
import { loadWorkflowFile, parseWorkflow } from '../../src/workflow/load.js';
import type { Workflow } from '../../src/workflow/types.js';
import { kindOf } from '../orchestrate/script.js';
import type { WorkCall } from '../orchestrate/script.js';
import { node, statuses, task, team, worker, workflow } from './harness.js';

// Composition: sub-workflows (inline and by file reference), agent-planned sub-goals, and a durable
// workflow run interrupted in a loop and resumed.

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('workflow patterns: composition', () => {
  it('sub-workflow (inline): its steps run in place, in order, reading the step before and feeding the step after', async () => {
    const part: Workflow = { goal: 'Check the facts', steps: [task('gather'), { parallel: [task('verify-a'), task('verify-b')] }] };
    const t = team({ work: worker({ 'verify-a': 30, 'verify-b': 60 }) });
    const result = await t.run(workflow([task('prep'), { id: 'checks', workflow: part }, task('report')]));
    expect(statuses(result)).toEqual([
      ['prep', 'completed'],
      ['gather', 'completed'],
      ['verify-a', 'completed'],
      ['verify-b', 'completed'],
      ['report', 'completed'],
    ]);
    expect(t.prompt('gather')).toContain('out:prep');
    expect(t.start('report')).toBe(t.end('verify-b'));
    expect(t.prompt('report')).toContain('out:verify-a');
    expect(t.prompt('report')).toContain('out:verify-b');
  });

  it('sub-workflow (by reference): a `workflow: <file>` step is loaded from the file, relative to the referencing one, and runs in place', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tf-workflow-'));
    dirs.push(dir);
    await writeFile(join(dir, 'part.yaml'), 'goal: Review a draft\nsteps:\n  - id: critique\n    instructions: Critique the draft.\n  - id: fix\n    instructions: Fix what the critique found.\n');
    const main = 'goal: Write and review\nsteps:\n  - id: write\n    instructions: Write a draft.\n  - id: review\n    workflow: part.yaml\n  - id: ship\n    instructions: Ship it.\n';
    await writeFile(join(dir, 'main.yaml'), main);

    const loaded = await loadWorkflowFile(join(dir, 'main.yaml'));
    expect(loaded.steps[1]).toMatchObject({ id: 'review', workflow: { goal: 'Review a draft', steps: [{ id: 'critique' }, { id: 'fix' }] } });
    const parsed = await parseWorkflow(main, { format: 'yaml', baseDir: dir });
    expect(parsed).toEqual(loaded);

    const t = team();
    const result = await t.run(loaded);
    expect(statuses(result)).toEqual([
      ['write', 'completed'],
      ['critique', 'completed'],
      ['fix', 'completed'],
      ['ship', 'completed'],
    ]);
    expect(t.prompt('critique')).toContain('out:write');
    expect(t.prompt('ship')).toContain('out:fix');
  });

  it('agent-planned sub-goal: a `goal:` step is planned by the planner and run as a sub-run one level deeper', async () => {
    const t = team({ plans: { ZEBRA: [{ id: 'habitat', capabilities: ['research'] }, { id: 'diet', capabilities: ['research'], dependsOn: ['habitat'] }] } });
    const result = await t.run(workflow([task('intro'), { id: 'research', goal: 'Research ZEBRA behaviour' }, task('write')]));
    expect(statuses(result)).toEqual([
      ['intro', 'completed'],
      ['research', 'completed'],
      ['write', 'completed'],
    ]);
    const research = node(result, 'research');
    expect(research.mode).toBe('sub-run');
    const sub = research.subRuns[0]!;
    expect(sub.depth).toBe(1);
    expect(sub.planned).toBe('planner');
    expect(sub.tasks.map((x) => [x.id, x.status])).toEqual([
      ['habitat', 'completed'],
      ['diet', 'completed'],
    ]);
    expect(t.provider.requests.filter((r) => kindOf(r) === 'planner')).toHaveLength(1);
    expect(t.prompt('write')).toContain(research.output!);
    expect(t.start('write')).toBeGreaterThanOrEqual(t.end('research'));
  });

  it('a durable workflow run interrupted inside a loop and resumed does not run completed instances again', async () => {
    // Rounds are told apart by their inputs: draft vN reads "REJECTED N-1"; review approves v3.
    const text = (call: WorkCall) => {
      if (call.title === 'draft') return `draft v${Number(/REJECTED (\d)/.exec(call.prompt)?.[1] ?? 0) + 1}`;
      if (call.title === 'review') {
        const v = Number(/draft v(\d)/.exec(call.prompt)?.[1]);
        return v >= 3 ? 'APPROVED' : `REJECTED ${v}`;
      }
      return `out:${call.title}`;
    };
    const loop = workflow([{ repeat: { steps: [task('draft'), task('review')], until: 'outputs.review contains "APPROVED"', max: 5 } }, task('publish')]);
    const store = memoryRunStore();
    const controller = new AbortController();
    const first = team(
      { work: worker({}, text) },
      { durable: store, runId: 'run_loop', signal: controller.signal, onEvent: (e) => e.type === 'task.completed' && e.taskId === 'draft#2' && controller.abort(new Error('interrupted')) },
    );
    const stopped = await first.run(loop);
    expect(stopped.stoppedBy?.kind).toBe('cancelled');
    expect(statuses(stopped)).toEqual([
      ['draft', 'completed'],
      ['review', 'completed'],
      ['draft#2', 'completed'],
    ]);

    const again = team({ work: worker({}, text) }, { durable: store });
    const { workflow: _drop, ...options } = again.options as typeof again.options & { workflow?: unknown };
    // The workflow is stored with the run: the resume is given none.
    const resumed = await again.drive(resumeRun('run_loop', options));
    expect(resumed.stoppedBy).toBeUndefined();
    expect(statuses(resumed)).toEqual([
      ['draft', 'completed'],
      ['review', 'completed'],
      ['draft#2', 'completed'],
      ['review#2', 'completed'],
      ['draft#3', 'completed'],
      ['review#3', 'completed'],
      ['publish', 'completed'],
    ]);
    expect(resumed.durable).toMatchObject({ resumed: true, restoredTasks: 3 });
    // Only the instances that had not completed asked an agent.
    expect(again.calls.map((c) => c.title)).toEqual(['review', 'draft', 'review', 'publish']);
    expect(node(resumed, 'review#3').output).toBe('APPROVED');
    expect(node(resumed, 'draft#2').output).toBe('draft v2');
  });
});
