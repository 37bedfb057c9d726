import { z } from 'zod';
import { defineTool } from '../tools/define-tool.js';
import type { Tool } from '../tools/types.js';
import { RecursionCapError } from '../errors/recursion-errors.js';
import type { RunGoal, RunLevel, RunSettings, TaskRecord } from './orchestration.js';
import { spawnSubRun } from './sub-run.js';
import { childPath } from '../durable/journal.js';

/** Name of the tool agents delegate with. */
export const DELEGATE_TOOL = 'delegate';

/** The longest timeout the system clock can wait (setTimeout's limit): the sub-run is bounded by budgets and the signal instead. */
const NO_TIMEOUT_MS = 2_147_483_647;

/**
 * The `delegate` tool of one run level: `{ goal }` runs a sub-run (plan → coordinate → synthesize) one
 * level deeper, below the task whose agent called it (the call's `taskId`), and returns its synthesized
 * answer. Offered only while the run is above the depth cap. A goal already run in this orchestration
 * is not run again: the tool answers with the earlier result (or an error when there is none yet), and
 * the repeat is reported as a cap. One per level, not per task: its tasks' agents share it.
 */
export function delegateTool(settings: RunSettings, level: RunLevel, runGoal: RunGoal, recordOf: (taskId: string) => TaskRecord): Tool {
  return {
    ...DELEGATE_SHAPE,
    async execute(input, context) {
      const { taskId } = context;
      if (taskId === undefined) throw new Error('internal: the delegate tool was called outside a task');
      const record = recordOf(taskId);
      const { goal } = input as DelegateInput;
      const site = { runId: level.runId, taskId, depth: level.depth, events: level.events };
      const admitted = settings.guard.admitSubRun(site, goal, context.agent);
      if ('refused' in admitted) {
        const earlier = settings.guard.earlierResult(goal);
        if (earlier?.output !== undefined)
          return `Not run again: this goal was already worked on in this run (${earlier.runId}). Its result:\n\n${earlier.output}`;
        throw new RecursionCapError(admitted.refused);
      }
      record.delegations = (record.delegations ?? 0) + 1;
      const path = childPath(level.path, `${taskId}@${record.delegations}`);
      const child = await spawnSubRun(settings, level, runGoal, { taskId, path, goal, record, ticket: admitted.ticket, signal: context.signal });
      return child.node.output;
    },
  };
}

const DelegateInput = z.object({ goal: z.string().min(1).describe('The sub-goal, self-contained') });
type DelegateInput = z.infer<typeof DelegateInput>;

/** Everything of the tool but what it does: defined (and its JSON Schema computed) once, not per task. */
const DELEGATE_SHAPE: Tool = defineTool({
  name: DELEGATE_TOOL,
  description:
    'Hands a substantial, self-contained sub-goal to a team of agents: it is planned, worked on and merged, ' +
    'and the merged answer comes back. Use it only for work that splits into several parts; do small things yourself. ' +
    'The goal must say everything the team needs (they do not see your conversation).',
  input: DelegateInput,
  timeoutMs: NO_TIMEOUT_MS,
  execute: () => {
    throw new Error('internal: the delegate tool shape is never executed itself');
  },
}) as Tool;
