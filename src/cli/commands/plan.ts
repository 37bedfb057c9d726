import type { TaskTree } from '../../plan/types.js';
import { booleanFlag, parseCommandArgs, requirePositionals, stringList, type FlagSpec } from '../args.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { fit } from '../format.js';
import { println, type CliIo } from '../io.js';
import { MODEL_FLAGS, MODEL_FLAGS_HELP, resolveCliModel } from '../model-flags.js';
import { withTaskforce } from '../session.js';

export const PLAN_HELP = `Usage: taskforce plan [options] "<goal>"

Asks the planner to break the goal into a task tree and prints it (nothing is run): tasks with
capabilities, dependencies, effort and whether each is decomposable, the layers that can run in
parallel, and the critical path.

Options:
${MODEL_FLAGS_HELP}
  --agents DIR        also load agent definitions from DIR; repeatable
  --strict            fail (exit 2) on any invalid agent file instead of skipping it
  --json              print only the task tree as JSON on stdout
  -h, --help          show this help

Example:
  taskforce plan "Write a launch plan for a neighbourhood tool library"`;

const FLAGS = { ...MODEL_FLAGS, agents: { type: 'string', multiple: true }, strict: { type: 'boolean' }, json: { type: 'boolean' } } as const satisfies FlagSpec;

/** `taskforce plan`. */
export async function planCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, FLAGS, PLAN_HELP);
  if (parsed.help) return (println(io.stdout, PLAN_HELP), EXIT.OK);
  const [goal] = requirePositionals(parsed, ['goal'], PLAN_HELP) as [string];
  const json = booleanFlag(parsed, 'json');
  const model = await resolveCliModel('plan', parsed, io, PLAN_HELP);
  const tree = await withTaskforce(io, { model, agentsDirs: stringList(parsed, 'agents'), json, runtime: { signal: io.interrupt, strictAgents: booleanFlag(parsed, 'strict') } }, (taskforce) =>
    taskforce.plan(goal),
  );
  if (json) println(io.stdout, JSON.stringify(tree, null, 2));
  else io.stdout.write(formatPlan(tree));
  return EXIT.OK;
}

/** A task tree as text: one line per task, then layers and the critical path. */
export function formatPlan(tree: TaskTree): string {
  const lines = [`Plan for: ${tree.goal}`, ''];
  lines.push(`${fit('id', 20)} ${fit('capabilities', 24)} ${fit('depends on', 24)} effort  title`);
  for (const task of tree.tasks) {
    const flags = [task.decomposable ? 'decomposable' : '', task.agent ? `agent ${task.agent}` : ''].filter(Boolean).join(', ');
    lines.push(
      `${fit(task.id, 20)} ${fit(task.capabilities.join(',') || '—', 24)} ${fit(task.dependsOn.join(',') || '—', 24)} ${String(task.effort).padStart(6)}  ${task.title}${flags ? ` (${flags})` : ''}`,
    );
  }
  lines.push('');
  tree.analysis.layers.forEach((layer, i) => lines.push(`layer ${i}: ${layer.join(', ')}`));
  lines.push(`critical path: ${tree.analysis.criticalPath.join(' → ')} (effort ${tree.analysis.criticalPathEffort} of ${tree.analysis.totalEffort})`);
  if (tree.droppedEdges.length > 0) lines.push(`redundant dependencies dropped: ${tree.droppedEdges.map(([a, b]) => `${a}→${b}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
