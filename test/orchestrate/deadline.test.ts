import { describe, expect, it } from 'vitest';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { createTaskforce } from '../../src/api/create-taskforce.js';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { manualClock } from '../../src/util/clock.js';
import { drive } from '../scheduler/drive.js';
import { AGENTS } from './helpers.js';
import { teamScript } from './script.js';

/** The planner answers in 10 ms; task `fast` takes 100 ms, task `slow` 1,500 ms (on the manual clock). */
function slowTeam() {
  const clock = manualClock();
  const script = teamScript({ plans: { bikes: [{ id: 'fast' }, { id: 'slow' }] } });
  const provider = scriptedModel({
    clock,
    replies: async (request, index) => {
      const reply = await script(request, index);
      const text = typeof reply === 'string' ? reply : (reply.text ?? '');
      const prompt = request.messages.map((m) => m.content).join('\n');
      const latencyMs = /Work on slow/.test(prompt) ? 1500 : /Work on fast/.test(prompt) ? 100 : 10;
      return { text, latencyMs };
    },
  });
  return { clock, provider, options: { model: modelFromProvider(provider), agents: AGENTS, builtinAgents: false, seed: 7, clock } };
}

describe('orchestrate: maxWallTimeMs is a deadline', () => {
  it('aborts the call in flight at the deadline and returns then, with what finished and stoppedBy the time budget', async () => {
    const { clock, options } = slowTeam();
    const result = await drive(clock, orchestrate('Write about bikes', { ...options, budgets: { maxWallTimeMs: 300 } }));

    expect(clock.now()).toBe(300);
    expect(result.stoppedBy).toMatchObject({ kind: 'budget', budget: 'wallTimeMs' });
    expect(result.tree.tasks.map((t) => [t.id, t.status])).toEqual([
      ['fast', 'completed'],
      ['slow', 'cancelled'],
    ]);
    expect(result.output).toContain('[fast]');
    expect(result.metrics.wallTimeMs).toBe(300);
  });

  it("holds for the runtime's own budget too; without a deadline the slow task finishes", async () => {
    const { clock, options } = slowTeam();
    const tf = await createTaskforce({ ...options, budgets: { maxWallTimeMs: 300 } });
    const result = await drive(clock, tf.orchestrate('Write about bikes'));
    expect(clock.now()).toBe(300);
    expect(result.stoppedBy).toMatchObject({ kind: 'budget', budget: 'wallTimeMs' });
    expect(result.tree.tasks.map((t) => t.status)).toEqual(['completed', 'cancelled']);
    await tf.close();

    const free = slowTeam();
    const reference = await drive(free.clock, orchestrate('Write about bikes', free.options));
    expect(reference.stoppedBy).toBeUndefined();
    expect(reference.tree.tasks.map((t) => t.status)).toEqual(['completed', 'completed']);
    expect(free.clock.now()).toBeGreaterThanOrEqual(1510);
  });
});
