import type { TaskforceEvent } from '../../src/events/types.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel, type ScriptedModel } from '../../src/model/scripted.js';
import type { OrchestrateOptions } from '../../src/orchestrate/options.js';
import { manualClock } from '../../src/util/clock.js';
import { team, teamScript, type Script } from './script.js';

/** The default team: two researchers and a writer. */
export const AGENTS = team({ ada: ['research', 'analysis'], bob: ['research'], cy: ['writing'] });

/** Options for an orchestrate run over one scripted model, a manual clock and a seed; events collected. */
export function scripted(script: Script, extra: Partial<OrchestrateOptions<unknown>> = {}) {
  const provider: ScriptedModel = scriptedModel({ replies: teamScript(script) });
  const events: TaskforceEvent[] = [];
  const options: OrchestrateOptions<unknown> = {
    model: modelFromProvider(provider),
    agents: AGENTS,
    builtinAgents: false,
    seed: 7,
    clock: manualClock(),
    onEvent: (event) => events.push(event),
    ...extra,
  };
  return { provider, events, options };
}
