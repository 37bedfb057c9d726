import type { Provenance } from '../eval/model-source.js';
import type { LineageTree, RunNode, RunResult, StoppedBy, TaskNode } from '../orchestrate/types.js';
import { headline, summarizeDecision, truncate } from './live/decision-summary.js';
import { NO_COLOURS, type Colours } from './colour.js';
import { fit, formatInt, formatMs, formatTokens, formatUsd } from './format.js';

/** Task id → the ids of the tasks whose results it received, per run (from the lineage). */
type InputsOf = (runId: string, taskId: string) => readonly string[];

/** What the inputs of each task were, as the lineage recorded them. */
export function inputsFromLineage(lineage: LineageTree): InputsOf {
  const byKey = new Map<string, readonly string[]>();
  for (const run of lineage.runs) for (const task of run.tasks) byKey.set(`${run.runId}/${task.taskId}`, task.inputs.map((i) => i.taskId));
  return (runId, taskId) => byKey.get(`${runId}/${taskId}`) ?? [];
}

/**
 * The final run tree: every task with status, agents, decision and spend, what it was built on,
 * sub-runs nested, then the synthesis (and which tasks it cites) and the refine rounds.
 */
export function formatRunTree(node: RunNode, inputsOf: InputsOf = () => [], level = 0, colours: Colours = NO_COLOURS): string[] {
  const pad = '  '.repeat(level);
  const planned = node.planned === 'user' ? 'plan from file' : 'planned';
  const head =
    level === 0
      ? `${pad}run ${node.runId} (${planned}, ${node.tasks.length} task(s)) ${formatTokens(node.usage.subtree.tokens)} ${formatUsd(node.usage.subtree.costUsd)}`
      : `${pad}sub-run ${node.runId} at depth ${node.depth} (${node.tasks.length} task(s)): "${truncate(headline(node.goal), 60)}"`;
  const lines = [colours.bold(head)];
  for (const task of node.tasks) {
    lines.push(`${pad}  ${taskLine(task, colours)}`);
    const inputs = inputsOf(node.runId, task.id);
    if (inputs.length > 0) lines.push(`${pad}      built on ${inputs.join(', ')}`);
    if (task.reason) lines.push(`${pad}      ${truncate(task.reason, 100)}`);
    if (task.error) lines.push(`${pad}      error: ${truncate(task.error.message, 100)}`);
    for (const sub of task.subRuns) lines.push(...formatRunTree(sub, inputsOf, level + 2, colours));
  }
  if (node.synthesis) {
    const cited = [...new Set(node.synthesis.citations.flatMap((c) => c.taskIds))];
    lines.push(
      `${pad}  synthesis: ${node.synthesis.passed ? 'passed its checks' : 'did not pass every check'} after ${node.synthesis.attempts} attempt(s); ` +
        (cited.length > 0 ? `cites ${cited.join(', ')}` : 'cites no task'),
    );
  }
  if (node.refine)
    lines.push(
      `${pad}  refine: ${node.refine.rounds} round(s), stopped: ${node.refine.reason}` +
        (node.refine.similarity !== null ? ` (similarity to the round before ${node.refine.similarity.toFixed(2)})` : ''),
    );
  return lines;
}

function taskLine(task: TaskNode, colours: Colours): string {
  const decision = task.decision ? summarizeDecision(task.decision.strategy, task.decision) : task.mode === 'sub-run' ? 'decomposed: sub-run below' : '';
  const [mark, paint] = task.status === 'completed' ? ['✓', colours.green] : task.status === 'failed' ? ['✗', colours.red] : ['-', colours.dim];
  return [
    // The mark is painted after the column is measured, so colour codes never count as width.
    `${paint(mark)}${fit(` ${task.id}`, 19)}`,
    fit(task.status, 10),
    fit(task.agents.join(',') || '—', 22),
    fit(decision, 60),
    `${formatTokens(task.usage.subtree.tokens)} ${formatUsd(task.usage.subtree.costUsd)}`,
  ].join(' ');
}

/** The metrics block printed after the answer. */
export function formatMetrics(result: RunResult<unknown>, options: Pick<FormatRunOptions, 'interrupted' | 'provenance'> = {}): string[] {
  const m = result.metrics;
  const tasks = Object.entries(m.tasks)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  const lines = [
    `tokens       ${formatInt(m.tokens)} (input ${formatInt(m.usage.inputTokens)}, output ${formatInt(m.usage.outputTokens)})`,
    `cost         ${formatUsd(m.costUsd)}${m.costUsd === 0 && m.tokens > 0 ? ` (${freeBecause(options.provenance)})` : ''}`,
    `model calls  ${m.modelCalls}`,
    `wall time    ${formatMs(m.wallTimeMs)}`,
    `agents       ${m.agentsSpawned} agent run(s)`,
    `runs         ${m.runs} (deepest level ${m.maxDepthReached})`,
    `tasks        ${tasks || 'none'}`,
  ];
  if (m.refine) lines.push(`refine       ${m.rounds} round(s), stopped: ${m.refine.reason}`);
  if (result.stoppedBy) lines.push(`stopped by   ${describeStop(result.stoppedBy, options)}`);
  for (const cap of result.caps) lines.push(`cap          ${cap.cap} on task ${cap.taskId} (depth ${cap.depth}): ${truncate(cap.detail, 80)}`);
  return lines;
}

/** Why a run with tokens cost nothing. */
function freeBecause(provenance: Provenance | undefined): string {
  switch (provenance) {
    case 'scripted':
      return 'scripted replies cost nothing';
    case 'recorded':
      return 'replayed from a cassette: no model was called';
    default:
      return 'no price is known for this model';
  }
}

/** A stop in words; `interrupted` names Ctrl-C as the cause of a cancellation. */
export function describeStop(stop: StoppedBy, options: { readonly interrupted?: boolean } = {}): string {
  switch (stop.kind) {
    case 'budget':
      return `budget ${stop.budget}: ${stop.detail}`;
    case 'cancelled':
      return options.interrupted ? 'cancelled with Ctrl-C' : `cancelled: ${stop.detail}`;
    case 'cap':
      return `${stop.cap} cap: ${stop.detail}`;
    case 'failure':
      return `failure of task ${stop.taskId}: ${stop.detail}`;
    case 'waiting':
      return stop.detail;
  }
}

/** What the printed result says besides the result itself. */
export interface FormatRunOptions {
  /** Where the replies came from; printed last so that output saved to a file still says it. */
  readonly notice?: string;
  /** The run was cancelled by Ctrl-C (the engine only knows that its signal fired). */
  readonly interrupted?: boolean;
  /** Where the replies came from, to explain a cost of $0. */
  readonly provenance?: Provenance;
  /** Colours for headings and status marks (`colourFor(io.stdout, io.env)`); default none. */
  readonly colours?: Colours;
}

/** Answer, run tree and metrics, as printed on stdout by `run` and `demo`. */
export function formatRunResult(result: RunResult<unknown>, options: FormatRunOptions = {}): string {
  const output = typeof result.output === 'string' ? result.output : JSON.stringify(result.output, null, 2);
  const partial = result.stoppedBy ? ` (PARTIAL — ${describeStop(result.stoppedBy, options)})` : '';
  const unsynthesized = result.stoppedBy && !result.tree.synthesis && output.trim() !== '';
  const colours = options.colours ?? NO_COLOURS;
  return [
    colours.bold(`=== Answer${partial} ===`),
    '',
    ...(unsynthesized ? ['(the run stopped before synthesis: these are the results of the tasks that finished)', ''] : []),
    output.trim() === '' ? '(no answer: nothing finished before the run stopped)' : output.trim(),
    '',
    colours.bold('=== Run tree ==='),
    ...formatRunTree(result.tree, inputsFromLineage(result.lineage), 0, colours),
    '',
    colours.bold('=== Metrics ==='),
    ...formatMetrics(result, options),
    ...(options.notice ? [`replies      ${options.notice}`] : []),
    '',
  ].join('\n');
}
