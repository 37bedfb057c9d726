import { escapeHtml as esc } from './escape.js';
import { formatCount, formatDuration } from './format.js';
import { assignLanes, taskKey, type RunView, type ViewRun } from './run-view.js';

/**
 * The Gantt chart: a row per task (grouped by run, in tree order) and the model calls packed into
 * lanes, so the number of call lanes at any moment is how many calls ran at once. Bars are placed in
 * percent of the trace's span; a task's bars (its row and its calls) carry its key for highlighting.
 */
export function renderTimeline(view: RunView): string {
  const span = Math.max(view.end - view.start, 1);
  const pct = (t: number) => ((Math.min(Math.max(t, view.start), view.end) - view.start) / span) * 100;
  const place = (from: number, to: number) => `left:${pct(from).toFixed(3)}%;width:${Math.max(pct(to) - pct(from), 0).toFixed(3)}%`;

  const rows: string[] = [];
  const walk = (run: ViewRun) => {
    rows.push(`<div class="g-row g-section"><div class="g-label" style="padding-left:${run.depth * 12}px">run ${esc(run.runId)}${run.parent ? ` (in ${esc(run.parent.taskId)})` : ''}</div><div class="g-track"><span class="bar run-bar" style="${place(run.startedAt, run.endedAt ?? view.end)};opacity:.25" title="run ${esc(run.runId)}"></span></div></div>`);
    for (const task of run.tasks) {
      const from = task.startedAt ?? view.start;
      const to = task.endedAt ?? view.end;
      const label = `${task.taskId}: ${task.title}`;
      rows.push(`<div class="g-row"><div class="g-label" style="padding-left:${run.depth * 12 + 8}px" title="${esc(label)}">${esc(task.taskId)}</div><div class="g-track"><span class="bar task-bar st-${task.status}" data-key="${esc(task.key)}" style="${place(from, to)}" title="${esc(`${label} (${formatDuration(to - from)})`)}"></span></div></div>`);
      for (const childId of task.childRunIds) {
        const child = view.runs.get(childId);
        if (child) walk(child);
      }
    }
  };
  for (const root of view.roots) walk(root);

  const calls = view.calls;
  const lanes = assignLanes(calls.map((call) => ({ start: call.startedAt, end: call.endedAt ?? view.end })));
  const laneCount = lanes.length > 0 ? Math.max(...lanes) + 1 : 0;
  const callBars: string[][] = Array.from({ length: laneCount }, () => []);
  calls.forEach((call, i) => {
    const to = call.endedAt ?? view.end;
    const owner = call.taskId !== undefined && call.runId !== undefined ? taskKey(call.runId, call.taskId) : undefined;
    const what = `${call.callId} ${call.provider}:${call.model} · ${call.runId ?? '?'}${call.taskId ? `/${call.taskId}` : ' (planning/synthesis)'}${call.agent ? ` · ${call.agent}` : ''} · ${formatCount(call.inputTokens)} in / ${formatCount(call.outputTokens)} out · ${formatDuration(to - call.startedAt)} · ${call.status}`;
    callBars[lanes[i]!]!.push(
      `<span class="bar ${owner ? 'call-bar' : 'run-call'}${call.status === 'failed' ? ' st-failed' : ''}"${owner ? ` data-key="${esc(owner)}"` : ''} style="${place(call.startedAt, to)}" title="${esc(what)}"></span>`,
    );
  });
  const callRows = callBars.map((bars, lane) => `<div class="g-row"><div class="g-label">lane ${lane + 1}</div><div class="g-track">${bars.join('')}</div></div>`);

  const ticks = Array.from({ length: 6 }, (_, i) => `<span>${esc(formatDuration((span * i) / 5))}</span>`).join('');
  return `<section id="timeline"><h2>Timeline</h2>
<div class="gantt">
<div class="g-axis"><div></div><div class="ticks">${ticks}</div></div>
<div class="g-heading">Tasks</div>
${rows.join('\n')}
<div class="g-heading">Model calls: ${calls.length}, up to ${laneCount} at once</div>
${callRows.join('\n')}
</div>
<div class="legend"><i style="background:#6b8fd6"></i>task<i style="background:#8ab4a0"></i>model call of a task<i style="background:#b9a4d8"></i>planning, synthesis, refinement<i style="background:#ffb020"></i>selected</div>
</section>`;
}
