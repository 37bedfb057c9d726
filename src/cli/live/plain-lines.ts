import type { TaskforceEvent } from '../../events/types.js';
import { formatMs, formatTokens, formatUsd } from '../format.js';
import { headline, summarizeDecision, truncate } from './decision-summary.js';
import { taskKey, type LiveState } from './state.js';

/**
 * The line the plain (non-TTY) view prints for `event`, or undefined for events too fine to log
 * (model calls, slots, steps). `after` is the live state with the event applied, for task totals.
 */
export function plainLine(event: TaskforceEvent, after: LiveState): string | undefined {
  const at = `[${formatMs(Math.max(0, event.at - (after.firstAt ?? event.at))).padStart(6)}]`;
  const run = event.runId ? after.runs[event.runId] : undefined;
  const where = run && run.depth > 0 ? `  ${'  '.repeat(run.depth)}` : ' ';
  const line = text(event, after);
  return line === undefined ? undefined : `${at}${where}${line}`;
}

function text(event: TaskforceEvent, after: LiveState): string | undefined {
  switch (event.type) {
    case 'run.started':
      return event.depth === 0 ? `run started: "${truncate(event.goal, 80)}"` : `sub-run (depth ${event.depth}) started: "${truncate(headline(event.goal), 70)}"`;
    case 'plan.created':
      return `plan: ${event.taskCount} task(s)${event.attempts > 1 ? ` after ${event.attempts} attempts` : ''}`;
    case 'plan.invalid':
      return `plan attempt ${event.attempt} rejected: ${truncate(event.errors.join('; '), 100)}`;
    case 'task.started':
      return `task ${event.taskId} started${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}: ${truncate(event.title, 60)}`;
    case 'agent.assigned':
      return event.taskId !== undefined ? `  ${event.taskId} → ${event.agent}${event.reason ? ` (${truncate(event.reason, 60)})` : ''}` : undefined;
    case 'strategy.decision':
      return `  ${event.taskId}: ${summarizeDecision(event.strategy, event.decision)}`;
    case 'recursion.spawned':
      return `  ${event.taskId} is decomposed: sub-run at depth ${event.depth}`;
    case 'recursion.capped':
      return `  ${event.taskId}: ${event.cap} cap reached — ${truncate(event.detail, 80)}`;
    case 'task.completed': {
      const task = after.tasks[taskKey(event.runId, event.taskId)];
      const spend = task && task.tokens > 0 ? `, ${formatTokens(task.tokens)}, ${formatUsd(task.costUsd)}` : '';
      return `task ${event.taskId} completed (${formatMs(event.durationMs)}${spend})`;
    }
    case 'task.failed':
      return `task ${event.taskId} failed${event.willRetry ? ' (will retry)' : ''}: ${truncate(event.error, 100)}`;
    case 'task.skipped':
      return `task ${event.taskId} skipped: ${truncate(event.reason, 80)}`;
    case 'task.cancelled':
      return `task ${event.taskId} cancelled: ${truncate(event.reason, 80)}`;
    case 'synthesis.attempt':
      return `synthesis attempt ${event.attempt}: ${event.passed ? 'passed' : `failed — ${truncate(event.problems.join('; '), 80)}`}`;
    case 'convergence.round':
      return event.taskId === undefined
        ? `refine round ${event.round}${event.similarity !== null ? `: similarity to previous ${event.similarity.toFixed(2)}` : ''}`
        : undefined;
    case 'convergence.stopped':
      return event.taskId === undefined ? `refine stopped after ${event.rounds} round(s): ${event.reason}` : undefined;
    case 'budget.warning':
      return `budget ${event.budget} at ${Math.round(event.fraction * 100)}% (${event.used} of ${event.limit})`;
    case 'budget.exceeded':
      return `budget ${event.budget} exceeded (${event.used} of ${event.limit})`;
    case 'run.completed': {
      const run = event.runId && after.runs[event.runId]?.depth ? 'sub-run' : 'run';
      const spent = `${formatMs(event.durationMs)} (${formatUsd(event.costUsd)})`;
      const stop = event.stoppedBy;
      // A run that ended early completed nothing like its work: say how it ended, never "completed".
      if (!stop) return `${run} completed in ${spent}`;
      const ended = stop.kind === 'failure' ? 'failed' : stop.kind === 'cancelled' ? 'cancelled' : stop.kind === 'budget' ? 'stopped by a budget' : stop.kind === 'waiting' ? 'paused' : 'stopped by a cap';
      return `${run} ${ended} after ${spent}: ${truncate(stop.detail, 120)}`;
    }
    case 'run.failed':
      return `run failed: ${truncate(event.error, 120)}`;
    case 'log':
      return event.level === 'warn' || event.level === 'error' ? `${event.level}: ${truncate(event.message, 120)}` : undefined;
    default:
      return undefined;
  }
}
