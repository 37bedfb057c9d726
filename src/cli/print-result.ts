import type { RunNode, RunResult, StoppedBy, TaskNode } from '../run/orchestrate/types.js';
import { summarizeDecision, truncate } from './live/decision-summary.js';
import { fit, formatInt, formatMs, formatTokens, formatUsd } from './format.js';

/** The final run tree: every task with status, agents, decision and spend, sub-runs nested. */
export function formatRunTree(node: RunNode, level = 0): string[] {
  const pad = '  '.repeat(level);
  const planned = node.planned === 'user' ? 'plan from file' : 'planned';
  const head =
    level === 0
      ? `${pad}run ${node.runId} (${planned}, ${node.tasks.length} task(s)) ${formatTokens(node.usage.subtree.tokens)} ${formatUsd(node.usage.subtree.costUsd)}`
      : `${pad}sub-run ${node.runId} at depth ${node.depth} (${node.tasks.length} task(s)): "${truncate(node.goal, 60)}"`;
  const lines = [head];
  for (const task of node.tasks) {
    lines.push(`${pad}  ${taskLine(task)}`);
    if (task.reason) lines.push(`${pad}      ${truncate(task.reason, 100)}`);
    if (task.error) lines.push(`${pad}      error: ${truncate(task.error.message, 100)}`);
    for (const sub of task.subRuns) lines.push(...formatRunTree(sub, level + 2));
  }
  if (node.synthesis)
    lines.push(
      `${pad}  synthesis: ${node.synthesis.passed ? 'passed' : 'did not pass every check'} after ${node.synthesis.attempts} attempt(s), ${node.synthesis.citations.length} citation(s)`,
    );
  if (node.refine)
    lines.push(
      `${pad}  refine: ${node.refine.rounds} round(s), stopped: ${node.refine.reason}` +
        (node.refine.similarity !== null ? `, similarity ${node.refine.similarity.toFixed(2)}` : ''),
    );
  return lines;
}

function taskLine(task: TaskNode): string {
  const decision = task.decision ? summarizeDecision(task.decision.strategy, task.decision) : task.mode === 'sub-run' ? 'sub-run' : '';
  return [
    fit(`${task.status === 'completed' ? '✓' : task.status === 'failed' ? '✗' : '-'} ${task.id}`, 20),
    fit(task.status, 10),
    fit(task.agents.join(',') || '—', 24),
    fit(decision, 56),
    `${formatTokens(task.usage.subtree.tokens)} ${formatUsd(task.usage.subtree.costUsd)}`,
  ].join(' ');
}

/** The metrics block printed after the answer. */
export function formatMetrics(result: RunResult<unknown>): string[] {
  const m = result.metrics;
  const tasks = Object.entries(m.tasks)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  const lines = [
    `tokens       ${formatInt(m.tokens)} (input ${formatInt(m.usage.inputTokens)}, output ${formatInt(m.usage.outputTokens)})`,
    `cost         ${formatUsd(m.costUsd)}${m.costUsd === 0 && m.tokens > 0 ? ' (no price is known for this model: scripted and replayed replies cost nothing)' : ''}`,
    `model calls  ${m.modelCalls}`,
    `wall time    ${formatMs(m.wallTimeMs)}`,
    `agents       ${m.agentsSpawned} agent run(s)`,
    `runs         ${m.runs} (deepest level ${m.maxDepthReached})`,
    `tasks        ${tasks || 'none'}`,
  ];
  if (m.refine) lines.push(`refine       ${m.rounds} round(s), stopped: ${m.refine.reason}`);
  if (result.stoppedBy) lines.push(`stopped by   ${describeStop(result.stoppedBy)}`);
  for (const cap of result.caps) lines.push(`cap          ${cap.cap} on task ${cap.taskId} (depth ${cap.depth}): ${truncate(cap.detail, 80)}`);
  return lines;
}

/** A stop in words. */
export function describeStop(stop: StoppedBy): string {
  switch (stop.kind) {
    case 'budget':
      return `budget ${stop.budget}: ${stop.detail}`;
    case 'cancelled':
      return `cancelled: ${stop.detail}`;
    case 'cap':
      return `${stop.cap} cap: ${stop.detail}`;
    case 'failure':
      return `failure of task ${stop.taskId}: ${stop.detail}`;
  }
}

/**
 * Answer, run tree and metrics, as printed on stdout by `run` and `demo`. `notice` says where the
 * replies came from; it is printed last so that output saved to a file still says it.
 */
export function formatRunResult(result: RunResult<unknown>, notice?: string): string {
  const output = typeof result.output === 'string' ? result.output : JSON.stringify(result.output, null, 2);
  const partial = result.stoppedBy ? ` (PARTIAL — ${describeStop(result.stoppedBy)})` : '';
  return [
    `=== Answer${partial} ===`,
    '',
    output.trim() === '' ? '(no answer: nothing finished before the run stopped)' : output.trim(),
    '',
    '=== Run tree ===',
    ...formatRunTree(result.tree),
    '',
    '=== Metrics ===',
    ...formatMetrics(result),
    ...(notice ? [`replies      ${notice}`] : []),
    '',
  ].join('\n');
}
