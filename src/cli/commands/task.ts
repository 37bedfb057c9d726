import { booleanFlag, numberFlag, parseCommandArgs, requirePositionals, stringFlag, stringList, type FlagSpec } from '../args.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { formatInt, formatMs, formatUsd } from '../format.js';
import { truncate } from '../live/decision-summary.js';
import { println, type CliIo } from '../io.js';
import { AGENT_SOURCES_HELP } from '../agent-sources-help.js';
import { MODEL_FLAGS, MODEL_FLAGS_HELP, resolveCliModel } from '../model-flags.js';
import { withTaskforce } from '../session.js';

export const TASK_HELP = `Usage: taskforce task [options] <agentType> "<prompt>"

Runs one agent on one job, the way Task() does in code: the agent's loop with its tools,
under the runtime's limits. Prints the agent's answer and its usage.

Options:
${MODEL_FLAGS_HELP}
${AGENT_SOURCES_HELP}
  --max-steps N       at most N model calls in the agent's loop
  --json              print only the result as JSON on stdout
  -h, --help          show this help

Example:
  taskforce task researcher "List three risks of lending power tools to the public"`;

const FLAGS = {
  ...MODEL_FLAGS,
  agents: { type: 'string', multiple: true },
  strict: { type: 'boolean' },
  'mcp-config': { type: 'string' },
  workspace: { type: 'string' },
  'max-steps': { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies FlagSpec;

/** `taskforce task`. */
export async function taskCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, FLAGS, TASK_HELP);
  if (parsed.help) return (println(io.stdout, TASK_HELP), EXIT.OK);
  const [agentType, prompt] = requirePositionals(parsed, ['agentType', 'prompt'], TASK_HELP) as [string, string];
  const maxSteps = numberFlag(parsed, 'max-steps', TASK_HELP, { integer: true, min: 1 });
  const json = booleanFlag(parsed, 'json');
  const model = await resolveCliModel('task', parsed, io, TASK_HELP);
  const mcpConfig = stringFlag(parsed, 'mcp-config');
  const workspace = stringFlag(parsed, 'workspace');
  const result = await withTaskforce(io, { model, agentsDirs: stringList(parsed, 'agents'), ...(mcpConfig !== undefined ? { mcpConfig } : {}), ...(workspace !== undefined ? { workspace } : {}), json, runtime: { strictAgents: booleanFlag(parsed, 'strict') } }, (taskforce) =>
    taskforce.task(truncate(prompt, 60), prompt, agentType, { signal: io.interrupt, ...(maxSteps !== undefined ? { maxSteps } : {}) }),
  );
  if (json) {
    const { steps, ...rest } = result;
    println(io.stdout, JSON.stringify({ ...rest, modelCalls: steps.length, model: { label: model.label, provenance: model.provenance } }, null, 2));
  } else {
    println(io.stdout, result.output.trim());
    println(io.stdout);
    println(
      io.stdout,
      `— ${result.agent}: ${result.steps.length} model call(s), ${formatInt(result.usage.inputTokens + result.usage.outputTokens)} tokens, ` +
        `${formatUsd(result.costUsd)}, ${formatMs(result.durationMs)}${result.finishReason === 'max_steps' ? ' (stopped at the step cap)' : ''}`,
    );
  }
  return EXIT.OK;
}
