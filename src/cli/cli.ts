import { readFileSync } from 'node:fs';
import type { ErrorCode } from '../errors/codes.js';
import { TaskforceError } from '../errors/taskforce-error.js';
import { packagePath } from '../util/package-root.js';
import { UsageError } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { println, type CliIo } from './io.js';

export const MAIN_HELP = `Usage: taskforce <command> [options]

Multi-agent LLM orchestration: a planner, capability-matched agents, coordination strategies,
recursion, convergence and synthesis.

Commands:
  run "<goal>"                 plan, coordinate agents, synthesize; live task tree, answer, metrics
  plan "<goal>"                show the task tree the planner makes (nothing is run)
  task <agentType> "<prompt>"  run one agent on one job, like Task() in code
  agents list | show <name>    the agents a run can use
  eval <suite>                 run an eval suite (.yaml, .json, .mjs, .js) and report pass rates
  demo                         the example goal end to end; offline on scripted replies without a key
  serve-metrics --trace FILE   serve a trace's Prometheus metrics on 127.0.0.1 (run: --metrics-port)
  view <trace.jsonl>           one self-contained HTML page of a run from its trace (tree, timeline, costs)
  mcp                          serve task, orchestrate, plan, list_agents to agent harnesses over MCP
  worker --redis URL           run the agents of "run --redis" runs, from a BullMQ queue on Redis

Journaled runs (every run is journaled in .taskforce/taskforce.db, or --db / TASKFORCE_DB):
  resume <run-id>              continue a run where it stopped, without redoing finished work
  runs list | show <run-id>    the journaled runs; one run's status, approvals, dead letters
  approve <run-id> <task>      approve a task waiting for approval, then resume the run
  reject <run-id> <task>       reject it (the task fails), then resume the run
  dlq list | show | retry      tasks that failed for good; retry one and resume its run

Run "taskforce <command> --help" for a command's options; "taskforce --version" prints the version.

Models: set TASKFORCE_MODEL (e.g. anthropic:claude-haiku-4-5), or just ANTHROPIC_API_KEY or
OPENAI_API_KEY; OPENAI_BASE_URL points at any OpenAI-compatible server. --model overrides.

Exit codes: 0 ok, 1 run failed (or eval below threshold), 2 usage/configuration error,
3 run waiting for approval, 130 cancelled with Ctrl-C.`;

type Command = (args: readonly string[], io: CliIo) => Promise<ExitCode>;

/** Each command is imported when it runs, so `--help` and a command's own start load only what it uses. */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  plan: async () => (await import('./commands/plan.js')).planCommand,
  task: async () => (await import('./commands/task.js')).taskCommand,
  agents: async () => (await import('./commands/agents.js')).agentsCommand,
  eval: async () => (await import('./commands/eval.js')).evalCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  'serve-metrics': async () => (await import('./commands/serve-metrics.js')).serveMetricsCommand,
  view: async () => (await import('./commands/view.js')).viewCommand,
  mcp: async () => (await import('./commands/mcp.js')).mcpCommand,
  worker: async () => (await import('./commands/worker.js')).workerCommand,
  resume: async () => (await import('./commands/resume.js')).resumeCommand,
  runs: async () => (await import('./commands/runs.js')).runsCommand,
  approve: async () => (await import('./commands/approve.js')).approveCommand,
  reject: async () => (await import('./commands/approve.js')).rejectCommand,
  dlq: async () => (await import('./commands/dlq.js')).dlqCommand,
};

/** Errors the user fixes by changing the command line, a file or the environment: exit 2. */
const CONFIGURATION_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'USAGE_ERROR',
  'NO_MODEL',
  'CONFIG_ERROR',
  'UNKNOWN_STRATEGY',
  'STRATEGY_OPTION_INVALID',
  'REPLIES_FILE_INVALID',
  'EVAL_SUITE_INVALID',
  'CASSETTE_INVALID',
  'AGENT_UNKNOWN',
  'AGENT_LOAD_FAILED',
  'AGENT_DEFINITION_INVALID',
  'AGENT_DUPLICATE_NAME',
  'PLAN_FILE_INVALID',
  'WORKFLOW_FILE_INVALID',
  // The run store: an unknown run or dead letter, nothing pending to decide, a store that cannot be opened.
  'RUN_NOT_FOUND',
  'RUN_NOT_RESUMABLE',
  'DEAD_LETTER_NOT_FOUND',
  'APPROVAL_NOT_PENDING',
  'STORE_UNAVAILABLE',
  'STORE_SCHEMA_UNSUPPORTED',
  // A plan file that breaks the plan rules (a cycle, an unknown dependency): see isConfigurationError.
  'PLAN_INVALID',
]);

/**
 * Whether the user fixes `error` by changing the command line, a file or the environment (exit 2). A
 * plan the planner model kept getting wrong is `PLAN_INVALID` too, but that is a failed run (exit 1):
 * only a plan read from a file names its `source`.
 */
function isConfigurationError(error: TaskforceError): boolean {
  if (error.code === 'PLAN_INVALID') return (error as { readonly source?: unknown }).source !== undefined;
  return CONFIGURATION_CODES.has(error.code);
}

/**
 * The whole CLI as a function: parses `argv` (without `node` and the script), runs the command,
 * prints errors, and returns the exit code. `main.ts` wires it to the process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    println(io.stderr, `taskforce: missing command\n\n${MAIN_HELP}`);
    return EXIT.USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    println(io.stdout, MAIN_HELP);
    return EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    println(io.stdout, packageVersion());
    return EXIT.OK;
  }
  const load = COMMANDS[name];
  if (!load) {
    println(io.stderr, `taskforce: unknown command "${name}"\n\n${MAIN_HELP}`);
    return EXIT.USAGE;
  }
  try {
    return await (await load())(rest, io);
  } catch (error) {
    return reportError(name, error, io);
  }
}

/** The version in our package.json, read when asked so that no other command pays for it. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}

function reportError(command: string, error: unknown, io: CliIo): ExitCode {
  if (error instanceof UsageError) {
    println(io.stderr, `taskforce ${command}: ${error.message}\n\n${error.usage}`);
    return EXIT.USAGE;
  }
  if (io.interrupt.aborted) {
    println(io.stderr, `taskforce ${command}: cancelled with Ctrl-C before any result (${messageOf(error)})`);
    return EXIT.CANCELLED;
  }
  if (TaskforceError.isInstance(error)) {
    if (error.code === 'NO_MODEL') {
      println(io.stderr, error.message);
      return EXIT.USAGE;
    }
    println(io.stderr, `taskforce ${command}: ${error.message} [${error.code}]`);
    return isConfigurationError(error) ? EXIT.USAGE : EXIT.FAILED;
  }
  println(io.stderr, `taskforce ${command}: ${messageOf(error)}`);
  if (error instanceof Error && error.stack && io.env.TASKFORCE_DEBUG) println(io.stderr, error.stack);
  return EXIT.FAILED;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
