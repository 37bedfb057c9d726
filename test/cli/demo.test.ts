import { describe, expect, it } from 'vitest';
import { autoClock } from '../support/auto-clock.js';
import { runCli } from './run-cli.js';

// The built binary runs the demo too, as `npm run demo` does: see binary.test.ts. Here the demo's
// simulated latency (120 ms a reply) is skipped by a clock that moves itself.
const fast = () => ({ clock: autoClock() });

describe('the offline main job (npm run demo)', () => {
  it('runs the example goal end to end with no key, saying the replies are scripted', async () => {
    const { code, stdout, stderr } = await runCli(['demo'], fast());
    expect(code).toBe(0);
    // Plainly not a real model, on stderr and in the saved stdout; never called recorded.
    expect(stderr).toContain('runs OFFLINE on SCRIPTED replies written by hand');
    expect(stdout).toContain('Replies are SCRIPTED: written by hand in examples/demo/replies.mjs, not produced by a real model');
    expect(stdout + stderr).not.toMatch(/recorded/i);
    // The plan: its tasks, and what each was built on.
    expect(stderr).toContain('plan: 4 task(s)');
    expect(stdout).toMatch(/^run run_1 \(planned, 4 task\(s\)\)/m);
    expect(stdout).toMatch(/✓ timeline\s+completed\s+writer\s+.*\n\s+built on inventory, membership\n/);
    // A strategy decision per task, in words.
    expect(stdout).toMatch(/✓ inventory\s+completed\s+researcher\s+auction: researcher bid \d+\.\d\d, runner-up \d+\.\d\d, paid \d+\.\d\d/);
    // Recursion: the decomposable task became a sub-run with its own plan and synthesis.
    expect(stdout).toMatch(/✓ funding\s+completed\s+analyst,researcher\s+decomposed: sub-run below/);
    expect(stdout).toMatch(/sub-run run_2 at depth 1 \(2 task\(s\)\)/);
    expect(stdout).toMatch(/✓ costs\s+completed\s+analyst/);
    expect(stdout).toContain('synthesis: passed its checks after 1 attempt(s); cites costs, income');
    // Synthesis of the whole, and convergence of the refine rounds.
    expect(stdout).toContain('synthesis: passed its checks after 1 attempt(s); cites inventory, membership, funding, timeline');
    expect(stderr).toMatch(/refine round 2: similarity to previous 0\.\d\d/);
    expect(stdout).toContain('refine: 3 round(s), stopped: stable (similarity to the round before 1.00)');
    // The refined answer, and the metrics.
    expect(stdout).toContain('If the grant does not arrive');
    expect(stdout).not.toContain('no reply written for this prompt');
    expect(stdout).toMatch(/runs\s+2 \(deepest level 1\)/);
    expect(stdout).toMatch(/tasks\s+6 completed/);
  });

  it('gives the same run as JSON with --json', async () => {
    const { code, stdout } = await runCli(['demo', '--json'], fast());
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.model.provenance).toBe('scripted');
    expect(result.metrics.maxDepthReached).toBe(1);
    expect(result.tree.tasks.find((t: { id: string }) => t.id === 'funding').mode).toBe('sub-run');
  });
});
