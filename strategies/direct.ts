import type { Strategy } from './strategy.js';
import { NoCandidatesError } from './errors.js';
import { taskPrompt } from './common.js';

/**
 * The default coordination when no strategy is named: the best-matched agent does the task, once.
 * It is the cheapest (one agent run per task, no votes, bids or leader calls) and fully predictable,
 * which suits a default; the named strategies buy quality or adaptivity with extra model calls.
 *
 * @example
 * const result = await orchestrate('Summarise the changelog', { strategy: direct() });
 */
export function direct(): Strategy {
  return {
    name: 'direct',
    async coordinate(context) {
      const best = context.candidates[0];
      if (!best) throw new NoCandidatesError('direct', context.task.id);
      const run = await context.runAgent(best.agent, taskPrompt(context));
      const decision = { strategy: 'direct', agent: best.agent.name, score: best.score, reason: best.reason };
      context.events.emit({ type: 'strategy.decision', taskId: context.task.id, strategy: 'direct', decision });
      return { output: run.output, agents: [run.agent], runs: [run], decision };
    },
  };
}
