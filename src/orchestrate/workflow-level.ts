import { z } from 'zod';
import { awaitApproval } from '../durable/approvals.js';
import { ConfigError } from '../errors/taskforce-error.js';
import { analyzeGraph } from '../plan/analyze.js';
import type { TaskTree } from '../plan/types.js';
import type { ScheduleResult, TaskStatus } from '../scheduler/types.js';
import { runWorkflow, type WorkflowRun } from '../workflow/run-workflow.js';
import type { Workflow } from '../workflow/types.js';
import { createCallLog } from '../runtime/call-log.js';
import type { RunGoal, RunLevel, RunSettings } from './orchestration.js';
import { nodeScope } from './scope.js';
import { taskExecutor } from './task-executor.js';

/**
 * Runs a workflow as one run level: its tasks through the level's task executor (the strategy, the
 * guard, budgets, the journal), its control flow in the workflow interpreter. Returns what a planned
 * level has after its schedule: the tree of the task instances that ran (in start order) and their
 * outcomes, so synthesis, the run tree and lineage treat both alike.
 */
export async function runWorkflowLevel(
  settings: RunSettings,
  level: RunLevel,
  workflow: Workflow,
  runGoal: RunGoal,
): Promise<{ readonly tree: TaskTree; readonly schedule: ScheduleResult<string>; readonly stop?: unknown }> {
  const { runtime } = settings;
  const startedAt = runtime.clock.now();
  const run = await runWorkflow(workflow, {
    execute: taskExecutor(settings, level, runGoal),
    decide: (stepId, agent, question, labels, signal) => decideBranch(settings, level, { stepId, agent, question, labels, signal }),
    approval: async (stepId, key, policy, signal) => {
      if (!settings.journal) throw new ConfigError(`workflow step "${stepId}" races on an approval, which needs a durable run: pass \`durable: true\` (or a \`runId\`)`);
      // A race waits for the decision in this process (its other triggers bound the wait).
      const wait = typeof policy === 'object' ? policy : {};
      await awaitApproval(settings.journal, { kind: 'task', path: level.path, taskId: stepId, key }, { timeoutMs: wait.timeoutMs ?? 2 ** 31 - 1, default: wait.default ?? 'reject' }, { clock: runtime.clock, signal, events: level.events });
    },
    events: level.events,
    clock: runtime.clock,
    signal: level.signal,
    budget: settings.budget,
  });
  const tasks = run.tasks;
  const tree: TaskTree = {
    goal: workflow.goal,
    tasks,
    droppedEdges: [],
    analysis: analyzeGraph({ ids: tasks.map((t) => t.id), effort: tasks.map(() => 1), deps: tasks.map(() => []), order: tasks.map((_, i) => i) }),
  };
  return { tree, schedule: scheduleOf(run, startedAt, runtime.clock.now()), ...(run.stoppedBy?.kind === 'stop' ? { stop: run.stoppedBy.error } : {}) };
}

function scheduleOf(run: WorkflowRun, startedAt: number, endedAt: number): ScheduleResult<string> {
  const counts: Record<TaskStatus, number> = { completed: 0, failed: 0, skipped: 0, cancelled: 0, 'not-run': 0, waiting: 0 };
  for (const outcome of Object.values(run.outcomes)) counts[outcome.status]++;
  const stop = run.stoppedBy;
  const stoppedBy = stop && stop.kind !== 'stop' ? stop : undefined;
  const status = stoppedBy?.kind === 'cancelled' ? 'cancelled' : stoppedBy?.kind === 'waiting' ? 'waiting' : counts.failed > 0 ? 'failed' : 'completed';
  return { status, ...(stoppedBy ? { stoppedBy } : {}), tasks: run.outcomes, counts, startedAt, endedAt };
}

/** An exclusive choice an agent makes: it answers with one of the branch labels (structured output). */
async function decideBranch(
  settings: RunSettings,
  level: RunLevel,
  ask: { readonly stepId: string; readonly agent: string; readonly question: string; readonly labels: readonly string[]; readonly signal: AbortSignal },
): Promise<string> {
  const agent = settings.runtime.agents.require(ask.agent);
  const scope = nodeScope(settings, level, { log: createCallLog(`${level.runId}/${ask.stepId}`), taskId: ask.stepId, signal: ask.signal });
  const schema = z.object({ branch: z.enum(ask.labels as [string, ...string[]]), reason: z.string() });
  const { object } = await scope.models.forAgent(agent).generateObject({
    system: agent.systemPrompt,
    prompt: `${ask.question}\n\nAnswer with the branch to take, one of: ${ask.labels.join(', ')}.`,
    schema,
    schemaName: 'branch',
    signal: ask.signal,
  });
  return object.branch;
}
