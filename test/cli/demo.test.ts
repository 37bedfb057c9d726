import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, ROOT, runCli } from './cli-process.js';

beforeAll(requireBuiltCli);

describe('the offline main job (npm run demo)', () => {
  it('is the command package.json runs as "demo": build, then the built CLI', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.demo).toBe('npm run build --silent && node dist/src/cli/main.js demo');
  });

  it('runs the example goal end to end with no key, saying the replies are scripted', async () => {
    const { code, stdout, stderr } = await runCli(['demo']);
    expect(code).toBe(0);
    // Plainly not a real model, on stderr and in the saved stdout.
    expect(stderr).toContain('runs OFFLINE on SCRIPTED replies written by hand');
    expect(stdout).toContain('Replies are SCRIPTED: written by hand in examples/demo/replies.mjs, not produced by a real model');
    expect(stdout).not.toMatch(/recorded/i);
    // The plan, and a strategy decision per task.
    expect(stderr).toContain('plan: 4 task(s)');
    expect(stdout).toMatch(/✓ inventory\s+completed\s+researcher\s+auction: researcher won/);
    // Recursion: the decomposable task became a sub-run with its own plan and synthesis.
    expect(stdout).toMatch(/✓ funding\s+completed/);
    expect(stdout).toMatch(/sub-run run_2 at depth 1 \(2 task\(s\)\)/);
    expect(stdout).toMatch(/✓ costs\s+completed\s+analyst/);
    // Synthesis and convergence.
    expect(stdout).toMatch(/synthesis: passed after 1 attempt\(s\), 4 citation\(s\)/);
    expect(stdout).toContain('refine: 3 round(s), stopped: stable');
    // The refined answer, and the metrics.
    expect(stdout).toContain('If the grant does not arrive');
    expect(stdout).toMatch(/runs\s+2 \(deepest level 1\)/);
    expect(stdout).toMatch(/tasks\s+6 completed/);
  }, 60_000);

  it('gives the same run as JSON with --json', async () => {
    const { code, stdout } = await runCli(['demo', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.model.provenance).toBe('scripted');
    expect(result.metrics.maxDepthReached).toBe(1);
    expect(result.tree.tasks.find((t: { id: string }) => t.id === 'funding').mode).toBe('sub-run');
  }, 60_000);
});
