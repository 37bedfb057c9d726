import type { EventBus } from '../events/bus.js';
import type { ToolCallJournal, ToolCallOutcome } from '../tools/execute-tool.js';
import type { Tool } from '../tools/types.js';
import type { Clock } from '../util/clock.js';
import { awaitApproval } from './approvals.js';
import type { RunJournal } from './journal.js';

/** Where a task's tool calls happen: its run level's path and its id. */
export interface ToolCallSite {
  readonly path: string;
  readonly taskId: string;
}

/**
 * The tool-call journal of one task attempt. Each call is numbered per agent (in `counts`, which the
 * task keeps across attempts) in the order the agent's loop
 * asks for them, which a resumed loop repeats (its model calls come from the journal), so the number
 * and the idempotency key built from it are stable. A journaled outcome is returned without running
 * the tool; a tool that requires approval waits for it first; a non-idempotent tool is marked started
 * before it runs, so a resume after a crash mid-call can say it may run twice.
 */
export function toolCallJournal(
  journal: RunJournal,
  site: ToolCallSite,
  counts: Map<string, number>,
  context: { readonly tools: ReadonlyMap<string, Tool>; readonly clock: Clock; readonly signal: AbortSignal; readonly events: EventBus },
): ToolCallJournal {
  return {
    async run(call, agent, execute): Promise<ToolCallOutcome> {
      const n = (counts.get(agent) ?? 0) + 1;
      counts.set(agent, n);
      const key = `${site.taskId}:${agent}#${n}`;
      const recorded = journal.get<ToolCallOutcome>('tool.call', site.path, key);
      if (recorded) return { ...recorded, id: call.id };
      const idempotencyKey = `${journal.runId}:${site.path ? `${site.path}/` : ''}${key}`;
      const tool = context.tools.get(call.name);
      if (tool?.requiresApproval)
        await awaitApproval(journal, { kind: 'tool', path: site.path, taskId: site.taskId, name: tool.name, key: `tool:${key}` }, tool.requiresApproval, context);
      if (tool && !tool.idempotent) {
        if (journal.has('tool.started', site.path, key))
          context.events.emit({
            type: 'log',
            level: 'warn',
            message: `tool "${tool.name}" (${idempotencyKey}) started before a crash and is run again; it is not marked idempotent, so it may take effect twice unless it deduplicates on its idempotency key`,
          });
        else await journal.append('tool.started', site.path, key, { tool: tool.name });
      }
      const outcome = await execute(idempotencyKey);
      await journal.append('tool.call', site.path, key, outcome);
      return outcome;
    },
  };
}
