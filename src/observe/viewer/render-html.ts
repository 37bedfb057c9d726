import type { TaskforceEvent } from '../../events/types.js';
import { neutralDecisionSummary } from './decision.js';
import { escapeHtml as esc } from './escape.js';
import { formatCost, formatCount, formatDuration, formatTotals } from './format.js';
import { PAGE_CSS, PAGE_JS } from './page-assets.js';
import { renderAnswer } from './render-answer.js';
import { renderTimeline } from './render-timeline.js';
import { buildRunView, taskKey, type RunView, type ViewRun, type ViewTask } from './run-view.js';

/** What `renderRunHtml` adds to what the events tell. */
export interface RenderRunOptions {
  /** The page's title; default "Taskforce run " and the top run's id (its goal is shown below the title). */
  readonly title?: string;
  /**
   * The run's final answer; default the one the trace's `answer.delta` events carry (traces written
   * before those events existed have none). Its `[task-id]` citations link to the tasks.
   */
  readonly answer?: string;
  /** Task outputs (events do not carry them), keyed by `taskKey(runId, taskId)`. */
  readonly outputs?: Readonly<Record<string, string>>;
  /** A strategy decision in a few words; default `neutralDecisionSummary`. */
  readonly summarizeDecision?: (strategy: string, decision: unknown) => string;
}

/**
 * One self-contained HTML page (inline style and script, no network when viewed) showing a run from
 * its events: the run tree with each task's agents, decision, status, tokens and cost (own and
 * subtree), a timeline of tasks and model calls, the answer with its citations linked to tasks, and a
 * task's details on click. Every text from the run is escaped.
 *
 * @example
 * ```ts
 * const events = await readTrace('run.trace.jsonl');
 * await writeFile('run.html', renderRunHtml(events, { answer: result.output }));
 * ```
 */
export function renderRunHtml(events: readonly TaskforceEvent[], options: RenderRunOptions = {}): string {
  const view = buildRunView(events);
  const summarize = options.summarizeDecision ?? neutralDecisionSummary;
  const root = view.roots[0];
  const title = options.title ?? (root ? `Taskforce run ${root.runId}` : 'Taskforce run (empty trace)');
  const tasks = [...view.runs.values()].flatMap((run) => run.tasks);
  const decisionOf = (task: ViewTask) => (task.strategy !== undefined && task.decision !== undefined ? safeSummary(summarize, task.strategy, task.decision) : undefined);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
${renderHeader(view, title)}
<main>
<section id="tree"><h2>Run tree</h2>
${view.roots.length > 0 ? `<ul class="runs top">${view.roots.map((run) => renderRun(run, view, decisionOf)).join('')}</ul>` : '<p class="none">The trace has no run.</p>'}
</section>
<section id="details"><h2>Details</h2>
<p id="details-hint" class="none">Click a task in the tree, the timeline or the answer.</p>
${tasks.map((task) => renderDetails(task, view, options.outputs?.[task.key], decisionOf(task))).join('\n')}
</section>
${renderTimeline(view)}
<section id="answer"><h2>Answer</h2>
${renderAnswer(options.answer ?? view.answer, citationResolver(view))}
</section>
</main>
<script>${PAGE_JS}</script>
</body>
</html>
`;
}

function renderHeader(view: RunView, title: string): string {
  const root = view.roots[0];
  if (!root) return `<header><h1>${esc(title)}</h1></header>`;
  const duration = (root.endedAt ?? view.end) - root.startedAt;
  return `<header><h1>${esc(title)}</h1>
<p class="goal">${esc(root.goal)}</p>
<p class="totals"><span class="st st-${root.status}">${esc(root.status)}</span>${root.detail ? ` (${esc(root.detail)})` : ''} · ${esc(formatDuration(duration))} · ${view.runs.size} run${view.runs.size === 1 ? '' : 's'} · ${esc(formatTotals(root.subtree))}</p>
</header>`;
}

function renderRun(run: ViewRun, view: RunView, decisionOf: (task: ViewTask) => string | undefined): string {
  const where = run.parent ? `sub-run of ${run.parent.taskId}, depth ${run.depth}` : `depth ${run.depth}`;
  return `<li class="run" data-run="${esc(run.runId)}"><div class="run-head">run ${esc(run.runId)} <span class="meta">(${esc(where)}) · <span class="st st-${run.status}">${esc(run.status)}</span> · own ${esc(formatTotals(run.own))} · subtree ${esc(formatTotals(run.subtree))}</span></div>
<ul class="tasks">${run.tasks.map((task) => renderTaskNode(task, view, decisionOf)).join('')}</ul>${renderFlow(run)}</li>`;
}

/** A workflow's control flow as it happened: which branch, how many rounds, what was cancelled. */
function renderFlow(run: ViewRun): string {
  if (run.flow.length === 0) return '';
  const items = run.flow.map((f) => `<li class="flow-${f.phase}"><b>${esc(f.step)}</b> <span class="meta">${esc(f.kind)} ${esc(f.phase)}</span>${f.detail ? ` · ${esc(f.detail)}` : ''}</li>`);
  return `<details class="flow" open><summary>workflow flow (${run.flow.length})</summary><ol>${items.join('')}</ol></details>`;
}

const STATUS_MARK: Readonly<Record<ViewTask['status'], string>> = { completed: '✓', failed: '✗', running: '…', skipped: '–', cancelled: '⊘', waiting: '⏸' };

function renderTaskNode(task: ViewTask, view: RunView, decisionOf: (task: ViewTask) => string | undefined): string {
  const children = task.childRunIds.map((id) => view.runs.get(id)).filter((run): run is ViewRun => run !== undefined);
  const who = task.agents.length > 0 ? task.agents.join(', ') : children.length > 0 ? 'sub-run' : '—';
  const decision = decisionOf(task);
  const costs = children.length > 0 ? `own ${formatTotals(task.own)} · subtree ${formatTotals(task.subtree)}` : formatTotals(task.own);
  return `<li><button type="button" class="task" data-key="${esc(task.key)}" id="task-${esc(task.key)}" title="${esc(task.title)}">
<span class="st st-${task.status}" aria-label="${task.status}">${STATUS_MARK[task.status]}</span><span class="id">${esc(task.taskId)}</span><span class="title">${esc(task.title)}</span>
<span class="line2">${esc(task.status)} · ${esc(who)}${decision ? ` · ${esc(decision)}` : ''}<br><span class="meta">${esc(costs)}</span></span>
</button>${children.length > 0 ? `<ul class="runs">${children.map((run) => renderRun(run, view, decisionOf)).join('')}</ul>` : ''}</li>`;
}

function renderDetails(task: ViewTask, view: RunView, output: string | undefined, decision: string | undefined): string {
  const rows: [string, string][] = [
    ['task', task.taskId],
    ['title', task.title],
    ['run', task.runId],
    ['status', task.status + (task.attempts > 1 ? ` after ${task.attempts} attempts` : '')],
    ['agents', task.agents.join(', ') || '—'],
  ];
  if (task.strategy) rows.push(['strategy', task.strategy]);
  if (decision) rows.push(['decision', decision]);
  if (task.startedAt !== undefined) rows.push(['started', `+${formatDuration(task.startedAt - view.start)}`]);
  if (task.startedAt !== undefined && task.endedAt !== undefined) rows.push(['duration', formatDuration(task.endedAt - task.startedAt)]);
  rows.push(['model calls', String(task.own.calls)]);
  rows.push(['tokens', `${formatCount(task.own.inputTokens)} in / ${formatCount(task.own.outputTokens)} out`]);
  rows.push(['cost', formatCost(task.own.costUsd)]);
  if (task.childRunIds.length > 0) {
    rows.push(['sub-runs', task.childRunIds.join(', ')]);
    rows.push(['subtree', formatTotals(task.subtree)]);
  }
  if (task.error) rows.push(['error', task.error]);
  if (task.reason) rows.push(['reason', task.reason]);
  return `<article data-details="${esc(task.key)}" hidden>
<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
${output !== undefined ? `<h3>Output</h3><pre class="output">${esc(output)}</pre>` : '<p class="none">No output in this view (the trace does not carry outputs; add the run\'s --json document).</p>'}
${task.decision !== undefined ? `<details><summary>Decision (raw)</summary><pre>${esc(cap(JSON.stringify(task.decision, null, 2) ?? 'null', 20_000))}</pre></details>` : ''}
</article>`;
}

/** Citation ids resolve to the top run's tasks first (its synthesis cites them), then to any run's. */
function citationResolver(view: RunView): (id: string) => string | undefined {
  const byId = new Map<string, string>();
  for (const run of [...view.roots, ...view.runs.values()]) for (const task of run.tasks) if (!byId.has(task.taskId)) byId.set(task.taskId, taskKey(run.runId, task.taskId));
  return (id) => byId.get(id);
}

function safeSummary(summarize: (strategy: string, decision: unknown) => string, strategy: string, decision: unknown): string {
  try {
    return summarize(strategy, decision);
  } catch {
    return strategy; // a summariser that trips on an odd decision must not lose the page
  }
}

function cap(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}
