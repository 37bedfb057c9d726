import { fit, formatMs, formatTokens, formatUsd } from '../format.js';
import { truncate } from './decision-summary.js';
import type { LiveRun, LiveState, LiveTask, LiveTaskStatus } from './state.js';

const STATUS_MARK: Record<LiveTaskStatus, string> = {
  running: '…',
  retrying: '↻',
  completed: '✓',
  failed: '✗',
  skipped: '-',
  cancelled: '⊘',
};

export interface RenderOptions {
  /** Terminal width; lines are cut to it so a redraw can count lines exactly. */
  readonly width: number;
  /** Current time on the events' clock, for the elapsed time; default the last event's. */
  readonly now?: number;
  /** At most this many lines: the tree is cut in the middle, the totals and warnings are kept. */
  readonly height?: number;
}

/**
 * The live view as lines: each run with its plan size, each task with status, agents, the strategy's
 * decision, tokens and cost, sub-runs indented under the task they work for, synthesis and refine
 * progress, then totals and recent warnings. Pure, so the TTY and plain views and tests share it.
 */
export function renderLive(state: LiveState, options: RenderOptions): string[] {
  const tree: string[] = [];
  for (const runId of state.rootRunIds) renderRun(state, runId, 0, tree);
  const elapsed = state.firstAt !== undefined ? (options.now ?? state.lastAt ?? state.firstAt) - state.firstAt : 0;
  const tail = [
    `totals: ${state.modelCalls} model call(s) · ${formatTokens(state.tokens)} · ${formatUsd(state.costUsd)} · ${formatMs(Math.max(0, elapsed))}`,
    ...state.notes.map((text) => `! ${text}`),
  ];
  return [...fitTree(tree, options.height === undefined ? Infinity : options.height - tail.length), ...tail].map((line) =>
    cut(line, options.width),
  );
}

/** The tree in at most `rows` lines: its head, then a line saying how many were left out. */
function fitTree(tree: readonly string[], rows: number): readonly string[] {
  if (tree.length <= rows) return tree;
  const kept = Math.max(0, rows - 1);
  return [...tree.slice(0, kept), `  … ${tree.length - kept} more line(s): the terminal is too short to show them all`];
}

function renderRun(state: LiveState, runId: string, level: number, lines: string[]): void {
  const run = state.runs[runId];
  if (!run) return;
  const pad = '  '.repeat(level);
  const stopped = run.stoppedBy !== undefined || run.taskKeys.some((key) => state.tasks[key]?.status === 'cancelled');
  lines.push(`${pad}${runHeader(run, stopped)}`);
  for (const key of run.taskKeys) {
    const task = state.tasks[key];
    if (!task) continue;
    lines.push(`${pad}  ${taskLine(task)}`);
    if (task.note && (task.status === 'failed' || task.status === 'retrying' || task.status === 'skipped' || task.status === 'cancelled'))
      lines.push(`${pad}      ${truncate(task.note, 100)}`);
    for (const child of task.childRunIds) renderRun(state, child, level + 2, lines);
  }
  const tail = [run.synthesis ? `synthesis ${run.synthesis}` : '', run.refine ? `refine ${run.refine}` : ''].filter(Boolean);
  if (tail.length > 0) lines.push(`${pad}  ${tail.join(' · ')}`);
  if (run.error) lines.push(`${pad}  ✗ ${truncate(run.error, 120)}`);
}

/** `stopped`: the run ended early, or some task was cancelled, so a run that "completed" only stopped. */
function runHeader(run: LiveRun, stopped: boolean): string {
  const kind = run.depth === 0 ? 'run' : `sub-run (depth ${run.depth})`;
  const goal = run.goal ? ` "${truncate(run.goal, 60)}"` : '';
  const started = run.taskKeys.length;
  const progress =
    run.status === 'planning'
      ? 'planning…'
      : run.plannedTasks !== undefined
        ? `${run.plannedTasks} task(s) planned, ${started} started`
        : `${started} task(s)`;
  const failed = run.status === 'failed' || run.stoppedBy?.kind === 'failure';
  const status = failed ? ' ✗ failed' : run.status === 'completed' ? (stopped ? ' ⊘ stopped' : ' ✓ done') : '';
  return `▸ ${kind}${goal} — ${progress}${status}`;
}

function taskLine(task: LiveTask): string {
  const attempt = task.attempt > 1 ? ` (attempt ${task.attempt})` : '';
  const agents = task.agents.length > 0 ? task.agents.join(',') : '—';
  const spend = task.tokens > 0 ? `${formatTokens(task.tokens)} ${formatUsd(task.costUsd)}` : '';
  return [
    `${STATUS_MARK[task.status]} ${fit(task.taskId, 18)}`,
    fit(agents, 22),
    fit(task.decision ?? (task.childRunIds.length > 0 ? 'decomposed: sub-run below' : ''), 58),
    spend,
  ]
    .join(' ')
    .trimEnd()
    .concat(attempt);
}

function cut(line: string, width: number): string {
  // Characters, not display cells: the marks used here are single-cell, so this keeps lines from wrapping.
  return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
}
