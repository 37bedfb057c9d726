import { it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { manualClock } from '../../src/util/clock.js';
import { AGENTS } from '../orchestrate/helpers.js';
import { teamScript } from '../orchestrate/script.js';
import type { TaskforceEvent } from '../../src/events/types.js';
it('probe', async () => {
  const events: TaskforceEvent[] = [];
  const provider = scriptedModel({ replies: teamScript({
    plans: { L1: [{ id: 'b1', capabilities: ['research'] }, { id: 'c1', capabilities: ['writing'] }], bikes: [{ id: 'a0', capabilities: ['research'] }, { id: 'deep0', decomposable: true, instructions: 'Go to L1.', capabilities: ['analysis'] }] },
  }) });
  await orchestrate('Write about bikes', { model: { provider }, agents: AGENTS, builtinAgents: false, seed: 7, clock: manualClock(), onEvent: (e) => events.push(e) });
  require("fs").writeFileSync("/tmp/otelprobe/events.jsonl", events.map((e) => JSON.stringify(e)).join("\n"));
});
