import { readFile, writeFile } from 'node:fs/promises';
import { ConfigError } from '../../errors/taskforce-error.js';
import { readTrace } from '../../observe/viewer/read-trace.js';
import { renderRunHtml } from '../../observe/viewer/render-html.js';
import { taskKey } from '../../observe/viewer/run-view.js';
import { parseCommandArgs, stringFlag } from '../args.js';
import { UsageError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { cliPath, println, type CliIo } from '../io.js';
import { summarizeDecision } from '../live/decision-summary.js';

export const VIEW_HELP = `Usage: taskforce view <trace.jsonl> [options]

Writes one self-contained HTML file (no network needed to open it) from a run's JSONL trace: the run
tree with each task's agents, strategy decision, status, tokens and cost (own and subtree), a
timeline of tasks and model calls, and a task's details on click. Prints the file's path.

The answer comes from the trace, with its [task-id] citations linked to the tasks. A trace does not
hold the task outputs: pass the same run's --json document with --result to add them.

Viewing a run by its id needs the durable run store, which does not exist yet: pass a trace file.

Options:
  --out FILE      where to write the page (default: the trace path with .html)
  --result FILE   the --json document of the same run (taskforce run/demo --json)
  --title TEXT    the page's title (default: from the run's goal)
  -h, --help      show this help

Example:
  taskforce demo --json --trace demo.jsonl > demo.json
  taskforce view demo.jsonl --result demo.json`;

const FLAGS = { out: { type: 'string' }, result: { type: 'string' }, title: { type: 'string' } } as const;

/** `taskforce view`: a trace file in, one HTML page out. */
export async function viewCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, FLAGS, VIEW_HELP);
  if (parsed.help) return (println(io.stdout, VIEW_HELP), EXIT.OK);
  const [trace, extra] = parsed.positionals;
  if (trace === undefined) throw new UsageError('missing the trace file', VIEW_HELP);
  if (extra !== undefined) throw new UsageError(`"view" takes one trace file, got also ${JSON.stringify(extra)}`, VIEW_HELP);
  const events = await readTrace(cliPath(io, trace));
  if (events.length === 0) throw new ConfigError(`the trace ${trace} has no events`);
  const resultFile = stringFlag(parsed, 'result');
  const result = resultFile !== undefined ? await readResult(cliPath(io, resultFile), resultFile) : {};
  const title = stringFlag(parsed, 'title');
  const html = renderRunHtml(events, { ...result, ...(title !== undefined ? { title } : {}), summarizeDecision: (strategy, decision) => summarizeDecision(strategy, decision) });
  const out = cliPath(io, stringFlag(parsed, 'out') ?? `${trace.replace(/\.jsonl?$/i, '')}.html`);
  try {
    await writeFile(out, html, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot write ${out}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  println(io.stdout, out);
  return EXIT.OK;
}

interface ResultParts {
  answer?: string;
  outputs?: Record<string, string>;
}

/** The answer and the task outputs from a run's `--json` document (`{ output, tree: { runId, tasks: [{ id, output, subRuns }] } }`). */
async function readResult(path: string, shown: string): Promise<ResultParts> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the run result ${shown}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const record = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined);
  const top = record(doc);
  if (!top || !record(top.tree)) throw new ConfigError(`${shown} is not a run's --json document (no "tree")`);
  const outputs: Record<string, string> = {};
  const walk = (node: Record<string, unknown>) => {
    const runId = node.runId;
    for (const task of Array.isArray(node.tasks) ? node.tasks : []) {
      const t = record(task);
      if (!t) continue;
      if (typeof runId === 'string' && typeof t.id === 'string' && typeof t.output === 'string') outputs[taskKey(runId, t.id)] = t.output;
      for (const sub of Array.isArray(t.subRuns) ? t.subRuns : []) if (record(sub)) walk(record(sub)!);
    }
  };
  walk(record(top.tree)!);
  return { ...(typeof top.output === 'string' ? { answer: top.output } : {}), outputs };
}
