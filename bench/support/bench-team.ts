import { defineAgent } from '../../src/agents/define.js';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import type { OrchestrateOptions } from '../../src/orchestrate/options.js';
import type { ProviderRequest } from '../../src/model/types.js';
import type { ScriptedReply } from '../../src/model/scripted.js';

// The team the engine benchmarks run: two agents and instant scripted replies that carry their usage
// (so no token counting happens in the fake), the synthesizer citing `citation`.

const USAGE = { inputTokens: 120, outputTokens: 40 };
const WORKER_TEXT = 'Done: the part is worked out, with its figures checked against the sources. '.repeat(3);

/** Replies for a scripted model: every worker the same text, the synthesizer one line citing `citation`. */
export function benchReplies(citation: string): (request: ProviderRequest) => ScriptedReply {
  return (request) => {
    const synthesizer = request.messages[0]?.content.startsWith('You are the synthesizer');
    return { text: synthesizer ? `The report [${citation}].` : WORKER_TEXT, usage: USAGE };
  };
}

export const BENCH_AGENTS = [
  defineAgent({ name: 'researcher', description: 'Finds facts', systemPrompt: 'You are researcher.', capabilities: ['research'] }),
  defineAgent({ name: 'writer', description: 'Writes sections', systemPrompt: 'You are writer.', capabilities: ['writing'] }),
];

/** One `orchestrate()` run after a GC, in wall ms; throws unless it stopped on its own with all `tasks` completed. */
export async function timedRun(options: OrchestrateOptions<unknown>, tasks: number): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  const run = await orchestrate('bench', options);
  const ms = performance.now() - start;
  if (run.stoppedBy) throw new Error(`orchestrate() stopped early: ${JSON.stringify(run.stoppedBy)}`);
  if (run.tree.tasks.length !== tasks || run.tree.tasks.some((t) => t.status !== 'completed')) throw new Error('not every task completed');
  return ms;
}
