import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../src/plan/load.js';
import { runTaskTree } from '../../src/scheduler/index.js';
import { manualClock } from '../../src/util/clock.js';
import { drive } from './drive.js';

const PLAN = `# written by hand: no planner involved
goal: Launch the product page
tasks:
  - id: brief
    title: Write the brief
    instructions: Summarise the product in five bullet points.
  - id: research
    title: Research competitors
    instructions: Compare three competing products.
    dependsOn: [brief]
    effort: 3
  - id: outline
    title: Outline the page
    instructions: Outline the page sections.
    dependsOn: [brief]
  - id: draft
    title: Draft the page
    instructions: Write the page from the outline and the research; quote the brief verbatim.
    dependsOn: [research, outline, brief]
    effort: 2
  - id: logo
    title: Pick a logo
    instructions: Choose one of the three logo drafts.
`;

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('a user-written plan run by the scheduler, without the planner', () => {
  it('runs the YAML plan critical path first on the injected clock, each task seeing what it declared', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskforce-user-plan-'));
    dirs.push(dir);
    const path = join(dir, 'launch.yaml');
    await writeFile(path, PLAN);

    const tree = await loadPlanFile(path);
    // brief → draft is implied by brief → research → draft: dropped from the graph, not from the inputs.
    expect(tree.droppedEdges).toEqual([['draft', 'brief']]);
    expect(tree.analysis.criticalPath).toEqual(['brief', 'research', 'draft']);

    const clock = manualClock();
    const started: string[] = [];
    const inputsSeen: Record<string, string[]> = {};
    const result = await drive(
      clock,
      runTaskTree(
        tree,
        async (task, { inputs, signal }) => {
          started.push(task.id);
          inputsSeen[task.id] = Object.keys(inputs).sort();
          await clock.sleep(task.effort * 10, signal);
          return `${task.id} done`;
        },
        { clock, concurrency: 1 },
      ),
    );

    expect(result.status).toBe('completed');
    // One slot: the longest remaining path goes first (brief 6, research 5, outline 3, draft 2, logo 1).
    expect(started).toEqual(['brief', 'research', 'outline', 'draft', 'logo']);
    expect(inputsSeen.draft).toEqual(['brief', 'outline', 'research']);
    expect(inputsSeen.research).toEqual(['brief']);
    expect(inputsSeen.logo).toEqual([]);
    expect(result.tasks.draft).toMatchObject({ status: 'completed', output: 'draft done', startedAt: 50, endedAt: 70 });
  });
});
