import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkflowFile } from '../../src/workflow/load.js';
import { ROOT } from '../cli/cli-process.js';
import { runCli } from '../cli/run-cli.js';

// The example workflows in examples/workflows: each loads, and each runs through the CLI on the
// scripted replies in examples/workflows/replies.mjs with the tasks its patterns call for.

const DIR = join(ROOT, 'examples/workflows');

/** What each example must run: `[task instance id, status]` in start order (sub-runs: their task ids). */
const EXPECTED: Record<string, { tasks: [string, string][]; sub?: Record<string, string[]> }> = {
  // The first draft is rejected, the second approved (two rounds), and the agent picks the blog.
  'review-loop.yaml': {
    tasks: [
      ['outline', 'completed'],
      ['draft', 'completed'],
      ['review', 'completed'],
      ['draft#2', 'completed'],
      ['review#2', 'completed'],
      ['blog-post', 'completed'],
    ],
  },
  // Three parallel branches joined; the legal and pricing follow-ups run, security does not.
  'parallel-research.yaml': {
    tasks: [
      ['scope', 'completed'],
      ['market', 'completed'],
      ['competitors', 'completed'],
      ['rules', 'completed'],
      ['findings', 'completed'],
      ['legal-check', 'completed'],
      ['pricing-check', 'completed'],
      ['brief', 'completed'],
    ],
  },
  // One instance per source the typed list names.
  'per-item.yaml': {
    tasks: [
      ['sources', 'completed'],
      ['read[0]', 'completed'],
      ['read[1]', 'completed'],
      ['read[2]', 'completed'],
      ['digest', 'completed'],
    ],
  },
  // The docs answer first, the expert is cancelled; the short timer wins the race.
  'first-answer.yaml': {
    tasks: [
      ['question', 'completed'],
      ['search-docs', 'completed'],
      ['ask-expert', 'cancelled'],
      ['follow-up', 'completed'],
    ],
  },
  // The failing health check cancels the region: the canary rollout is aborted, "everyone" never runs.
  'cancel-region.yaml': {
    tasks: [
      ['canary', 'cancelled'],
      ['health', 'completed'],
      ['report', 'completed'],
    ],
  },
  // The sub-goal is planned into a sub-run; the referenced part's check and fix run in place.
  'sub-workflow.yaml': {
    tasks: [
      ['background', 'completed'],
      ['guide', 'completed'],
      ['check', 'completed'],
      ['fix', 'completed'],
      ['publish', 'completed'],
    ],
    sub: { background: ['searches', 'helpdesk'] },
  },
  // The reusable part runs on its own too.
  'sub-workflow-part.yaml': {
    tasks: [
      ['check', 'completed'],
      ['fix', 'completed'],
    ],
  },
};

const KIND_KEYS = ['sequence', 'parallel', 'choice', 'multi_choice', 'first', 'merge', 'repeat', 'goto', 'for_each', 'region', 'cancel', 'race', 'workflow', 'goal'];

/** The step kinds used anywhere in `value` (steps, recursively; `goal`/`workflow` only on steps with an id). */
function usedKinds(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) usedKinds(v, into);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('instructions' in record) into.add('task');
    else for (const key of KIND_KEYS) if (key in record && ('id' in record || (key !== 'goal' && key !== 'workflow'))) into.add(key);
    for (const v of Object.values(record)) usedKinds(v, into);
  }
  return into;
}

describe('example workflows', () => {
  it('every example loads with loadWorkflowFile, has a header naming its patterns, and is covered here', async () => {
    const files = (await readdir(DIR)).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
    for (const file of files) {
      const workflow = await loadWorkflowFile(join(DIR, file));
      expect(workflow.steps.length, file).toBeGreaterThan(0);
      expect(await readFile(join(DIR, file), 'utf8'), file).toMatch(/^# [^]*?Patterns: /);
    }
    // The reference is resolved at load time, relative to the file.
    const main = await loadWorkflowFile(join(DIR, 'sub-workflow.yaml'));
    expect(main.steps.find((s) => s.id === 'review')).toMatchObject({ workflow: { goal: 'Review a document' } });
    // The examples between them use these step kinds.
    const used = new Set<string>();
    for (const file of files) usedKinds((await loadWorkflowFile(join(DIR, file))).steps, used);
    for (const kind of ['task', 'repeat', 'choice', 'parallel', 'multi_choice', 'for_each', 'first', 'race', 'region', 'cancel', 'workflow', 'goal']) expect(used, kind).toContain(kind);
  });

  for (const [file, expected] of Object.entries(EXPECTED))
    it(`${file} runs through the CLI on the scripted replies`, async () => {
      const { code, stdout, stderr } = await runCli(['run', '--scripted', 'examples/workflows/replies.mjs', '--json', `examples/workflows/${file}`]);
      expect(code, stderr).toBe(0);
      const result = JSON.parse(stdout) as { ok: boolean; stoppedBy?: unknown; tree: { tasks: { id: string; status: string; subRuns: { tasks: { id: string }[] }[] }[] } };
      expect(result.ok).toBe(true);
      expect(result.stoppedBy).toBeUndefined();
      expect(result.tree.tasks.map((t) => [t.id, t.status])).toEqual(expected.tasks);
      for (const [id, subTasks] of Object.entries(expected.sub ?? {}))
        expect(result.tree.tasks.find((t) => t.id === id)!.subRuns[0]!.tasks.map((t) => t.id)).toEqual(subTasks);
    });
});
