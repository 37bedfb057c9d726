import { NO_COLOURS, type Colours } from '../colour.js';
import { fit, formatMs, formatTokens, formatUsd } from '../format.js';
import { truncate } from './decision-summary.js';
import type { LiveRun, LiveState, LiveTask, LiveTaskStatus } from './state.js';

type Tone = Exclude<keyof Colours, 'enabled'>;

const STATUS_MARK: Record<LiveTaskStatus, readonly [string, Tone]> = {
  running: ['…', 'cyan'],
  retrying: ['↻', 'yellow'],
  completed: ['✓', 'green'],
  failed: ['✗', 'red'],
  skipped: ['-', 'dim'],
  cancelled: ['⊘', 'yellow'],
};

/** A piece of a line, with the colour it is painted in (if any); lines are measured and cut unpainted. */
interface Segment {
  readonly text: string;
  readonly tone?: Tone;
}
type Line = readonly Segment[];

export interface RenderOptions {
  /** Terminal width; lines are laid out (and at worst cut) to it so a redraw can count lines exactly. */
  readonly width: number;
  /** Current time on the events' clock, for the elapsed time; default the last event's. */
  readonly now?: number;
  /** At most this many lines: the tree is cut in the middle, the totals and warnings are kept. */
  readonly height?: number;
  /** Colours for status marks and headings; default none. */
  readonly colours?: Colours;
}

/**
 * The live view as lines: each run with its plan size, each task with status, agents, the strategy's
 * decision, tokens and cost, sub-runs indented under the task they work for, synthesis and refine
 * progress, then totals and recent warnings. Pure, so the TTY and plain views and tests share it.
 *
 * A task line fits the width by priority: status and id, then agents, then the decision (shortened at
 * a word, never cut by the edge of the screen), then tokens and cost, which move to a line of their
 * own when the decision would otherwise get too little room.
 */
export function renderLive(state: LiveState, options: RenderOptions): string[] {
  const tree: Line[] = [];
  for (const runId of state.rootRunIds) renderRun(state, runId, 0, options.width, tree);
  const elapsed = state.firstAt !== undefined ? (options.now ?? state.lastAt ?? state.firstAt) - state.firstAt : 0;
  const tail: Line[] = [
    [
      { text: 'totals:', tone: 'bold' },
      { text: ` ${state.modelCalls} model call(s) · ${formatTokens(state.tokens)} · ${formatUsd(state.costUsd)} · ${formatMs(Math.max(0, elapsed))}` },
    ],
    ...state.notes.map((text): Line => [{ text: '!', tone: 'yellow' }, { text: ` ${text}` }]),
  ];
  const colours = options.colours ?? NO_COLOURS;
  return [...fitTree(tree, options.height === undefined ? Infinity : options.height - tail.length), ...tail].map((line) =>
    paint(cut(line, options.width), colours),
  );
}

/** The tree in at most `rows` lines: its head, then a line saying how many were left out. */
function fitTree(tree: readonly Line[], rows: number): readonly Line[] {
  if (tree.length <= rows) return tree;
  const kept = Math.max(0, rows - 1);
  return [...tree.slice(0, kept), [{ text: `  … ${tree.length - kept} more line(s): the terminal is too short to show them all`, tone: 'dim' }]];
}

function renderRun(state: LiveState, runId: string, level: number, width: number, lines: Line[]): void {
  const run = state.runs[runId];
  if (!run) return;
  const pad = '  '.repeat(level);
  const stopped = run.stoppedBy !== undefined || run.taskKeys.some((key) => state.tasks[key]?.status === 'cancelled');
  lines.push([{ text: pad }, ...runHeader(run, stopped, width - pad.length)]);
  for (const key of run.taskKeys) {
    const task = state.tasks[key];
    if (!task) continue;
    for (const line of taskLines(task, width - pad.length - 2)) lines.push([{ text: `${pad}  ` }, ...line]);
    if (task.note && (task.status === 'failed' || task.status === 'retrying' || task.status === 'skipped' || task.status === 'cancelled'))
      lines.push([{ text: `${pad}      ${truncate(task.note, 100)}` }]);
    for (const child of task.childRunIds) renderRun(state, child, level + 2, width, lines);
  }
  const tail = [run.synthesis ? `synthesis ${run.synthesis}` : '', run.refine ? `refine ${run.refine}` : ''].filter(Boolean);
  if (tail.length > 0) lines.push([{ text: `${pad}  ${tail.join(' · ')}` }]);
  if (run.error) lines.push([{ text: `${pad}  ` }, { text: '✗', tone: 'red' }, { text: ` ${truncate(run.error, 120)}` }]);
}

/**
 * `stopped`: the run ended early, or some task was cancelled, so a run that "completed" only stopped.
 * The goal gives way first when `room` is short, so progress and status stay on screen.
 */
function runHeader(run: LiveRun, stopped: boolean, room: number): Line {
  const kind = run.depth === 0 ? 'run' : `sub-run (depth ${run.depth})`;
  const started = run.taskKeys.length;
  const progress =
    run.status === 'planning'
      ? 'planning…'
      : run.plannedTasks !== undefined
        ? `${run.plannedTasks} task(s) planned, ${started} started`
        : `${started} task(s)`;
  const failed = run.status === 'failed' || run.stoppedBy?.kind === 'failure';
  const status: Segment | undefined = failed
    ? { text: '✗ failed', tone: 'red' }
    : run.status === 'completed'
      ? stopped
        ? { text: '⊘ stopped', tone: 'yellow' }
        : { text: '✓ done', tone: 'green' }
      : undefined;
  const fixed = `▸ ${kind} — ${progress}`.length + (status ? status.text.length + 1 : 0);
  const goal = run.goal ? ` "${shorten(run.goal, Math.max(12, Math.min(60, room - fixed - 3)))}"` : '';
  return [{ text: `▸ ${kind}`, tone: 'bold' }, { text: `${goal} — ${progress}` }, ...(status ? [{ text: ' ' }, status] : [])];
}

/** Columns of a task line at a comfortable width, and the least the decision gets before spend wraps. */
const ID_WIDTH = 18;
const AGENTS_WIDTH = 22;
const DECISION_WIDTH = 58;
const MIN_DECISION_WIDTH = 20;

/** A task as one line, or two when `room` is too narrow for its decision and its spend side by side. */
function taskLines(task: LiveTask, room: number): Line[] {
  const [mark, tone] = STATUS_MARK[task.status];
  const narrow = room < 100;
  const idWidth = narrow ? 14 : ID_WIDTH;
  const agentsWidth = narrow ? 16 : AGENTS_WIDTH;
  const attempt = task.attempt > 1 ? ` (attempt ${task.attempt})` : '';
  const agents = task.agents.length > 0 ? task.agents.join(',') : '—';
  const spend = task.tokens > 0 ? `${formatTokens(task.tokens)} ${formatUsd(task.costUsd)}` : '';
  const decision = task.decision ?? (task.childRunIds.length > 0 ? 'decomposed: sub-run below' : '');
  const head: Line = [{ text: mark, tone }, { text: ` ${fit(task.taskId, idWidth)} ${fit(agents, agentsWidth)}` }];
  const left = room - (2 + idWidth + 1 + agentsWidth) - 1;
  const after = `${spend}${attempt}`.trim();
  const beside = Math.min(DECISION_WIDTH, left - (after === '' ? 0 : after.length + 1));
  if (beside >= MIN_DECISION_WIDTH || (decision === '' && left >= after.length)) {
    const shown = after === '' ? shorten(decision, beside) : fit(shorten(decision, beside), beside);
    return [[...head, { text: ` ${shown}${after === '' ? '' : ` ${after}`}`.trimEnd() }]];
  }
  // Too narrow for both: the decision keeps the line, tokens and cost go below it.
  const first: Line = left >= MIN_DECISION_WIDTH / 2 ? [...head, { text: ` ${shorten(decision, left)}`.trimEnd() }] : head;
  const below = [left >= MIN_DECISION_WIDTH / 2 ? '' : decision, after].filter(Boolean).join(' · ');
  return below === '' ? [first] : [first, [{ text: `    ${shorten(below, room - 4)}` }]];
}

/** `text` in at most `max` characters, shortened at a word boundary with an ellipsis where it can be. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  if (max <= 1) return max === 1 ? '…' : '';
  const space = flat.lastIndexOf(' ', max - 1);
  // A word boundary in the second half of the room reads better than a word cut in two.
  const end = space >= max / 2 ? space : max - 1;
  return `${flat.slice(0, end).replace(/[\s,;:·—-]+$/, '')}…`;
}

/** The line in at most `width` characters (characters, not cells: the marks used are single-cell). */
function cut(line: Line, width: number): Line {
  const out: Segment[] = [];
  let left = width;
  const total = line.reduce((n, s) => n + s.text.length, 0);
  if (total <= width) return line;
  left = Math.max(0, width - 1);
  for (const segment of line) {
    if (left <= 0) break;
    out.push({ ...segment, text: segment.text.slice(0, left) });
    left -= segment.text.length;
  }
  return [...out, { text: '…' }];
}

function paint(line: Line, colours: Colours): string {
  return line.map((s) => (s.tone ? colours[s.tone](s.text) : s.text)).join('');
}
