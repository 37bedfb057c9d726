import { createJsonlTraceWriter, safeJsonStringify } from '../../events/jsonl-trace.js';
import type { ResolvedModelSource } from '../../eval/model-source.js';
import { ALL_STRATEGIES } from '../../eval/runner.js';
import { existsSync } from 'node:fs';
import { queueAgentRunner } from '../../distributed/queue-agent-runner.js';
import { loadRunFile } from '../../workflow/load.js';
import type { Workflow } from '../../workflow/types.js';
import type { TaskTree } from '../../plan/types.js';
import type { RefineOptions } from '../../orchestrate/refine.js';
import type { RunResult } from '../../orchestrate/types.js';
import type { OrchestrateRunOptions } from '../../orchestrate/options.js';
import type { Runtime } from '../../runtime/runtime-types.js';
import { orchestrateStream } from '../../api/stream.js';
import { booleanFlag, numberFlag, parseCommandArgs, stringFlag, stringList, type FlagSpec, type ParsedArgs } from '../args.js';
import { colourFor } from '../colour.js';
import { UsageError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { cliPath, println, type CliIo } from '../io.js';
import { METRICS_PORT_HELP, startCliMetrics } from '../metrics-port.js';
import { AGENT_SOURCES_HELP } from '../agent-sources-help.js';
import { MODEL_FLAGS, MODEL_FLAGS_HELP, modelSourceOf, resolveCliModelSource } from '../model-flags.js';
import { approveHint, cliRunMetadata, DB_FLAG, DB_FLAG_HELP, journalLine, newRunId, RUN_ID_PATTERN, type CliJournal } from '../journal.js';
import { formatRunResult } from '../print-result.js';
import { withTaskforce } from '../session.js';
import { openRunStore } from '../../store/open-run-store.js';
import type { RunStore } from '../../store/run-store.js';
import { TaskforceError } from '../../errors/taskforce-error.js';

export const RUN_HELP = `Usage: taskforce run [options] "<goal>"
       taskforce run [options] <workflow.yaml | plan.yaml>

Plans the goal into a task tree, coordinates agents on each task, recurses into decomposable
tasks, synthesizes (and optionally refines) the answer. Given a workflow file (steps with
control flow: parallel, choice, loops, for_each, regions, races) or a plan file, runs that
instead of planning. Shows the task tree live on stderr,
then prints the answer, the run tree and the metrics on stdout.

Options:
  --strategy NAME     direct (default), consensus, hierarchical, auction, stigmergy
  --max-depth N       deepest sub-run level; 0 = no sub-runs (default 3)
  --budget-usd USD    stop the run once it has cost this much (partial result kept)
  --refine N          critique → revise the answer for at most N rounds, until it converges
  --concurrency N     tasks in flight at once (default 8)
${MODEL_FLAGS_HELP}
${AGENT_SOURCES_HELP}
  --plan FILE         run this plan or workflow (JSON or YAML) instead of asking the planner; the goal
                      argument may then be left out
  --trace FILE        write every event as JSON lines to FILE
${METRICS_PORT_HELP}
  --seed N            reproducible randomness and ids
  --redis URL         run the agents on \`taskforce worker\` processes through a BullMQ queue on
                      this Redis (default: TASKFORCE_REDIS_URL; none: everything in this process)
  --queue NAME        the workers' queue (default taskforce-agents)
${DB_FLAG_HELP}
  --run-id ID         the run's id in the store (default: a new one); an id already in the
                      store resumes that run
  --no-journal        run without journaling (the run cannot be resumed)
  --json              print only the result as JSON on stdout (no live view)
  --stream            with --json: print the run's events as JSON lines as they happen
                      (plan, task.started, task.finished, decision, answer.delta), then
                      the result as the last line
  -h, --help          show this help

Every run is journaled in the run store (unless --no-journal): after a crash, Ctrl-C or a stop,
"taskforce resume <run-id>" continues it without redoing finished work ("taskforce runs list"
lists the runs).

Exit codes: 0 done, 1 run failed or stopped by a budget, 2 usage or configuration error,
3 waiting for approval (taskforce approve / reject), 130 cancelled with Ctrl-C (the partial
result is printed first).

Examples:
  taskforce run "Compare three e-bike motors for a city commuter"
  taskforce run --strategy consensus --budget-usd 0.50 --trace run.jsonl "Draft a release note for v2"
  taskforce run --scripted examples/demo/replies.mjs --refine 3 "$(cat examples/demo/goal.txt)"
  taskforce run examples/workflows/review-loop.yaml`;

export const RUN_FLAGS = {
  strategy: { type: 'string' },
  'max-depth': { type: 'string' },
  'budget-usd': { type: 'string' },
  refine: { type: 'string' },
  concurrency: { type: 'string' },
  ...MODEL_FLAGS,
  agents: { type: 'string', multiple: true },
  strict: { type: 'boolean' },
  'mcp-config': { type: 'string' },
  workspace: { type: 'string' },
  plan: { type: 'string' },
  trace: { type: 'string' },
  'metrics-port': { type: 'string' },
  seed: { type: 'string' },
  redis: { type: 'string' },
  queue: { type: 'string' },
  ...DB_FLAG,
  'run-id': { type: 'string' },
  'no-journal': { type: 'boolean' },
  json: { type: 'boolean' },
  stream: { type: 'boolean' },
} as const satisfies FlagSpec;

/** What one orchestration from the command line needs, once flags are parsed. */
export interface OrchestrateCommand {
  readonly goal: string;
  readonly model: ResolvedModelSource;
  readonly strategy?: string;
  readonly maxDepth?: number;
  readonly budgetUsd?: number;
  readonly refine?: RefineOptions;
  readonly concurrency?: number;
  readonly agentsDirs: readonly string[];
  /** `--strict`: an invalid agent file fails the command instead of being skipped. */
  readonly strictAgents?: boolean;
  /** `--mcp-config FILE`: the MCP servers (`.mcp.json`) whose tools agents may use. */
  readonly mcpConfig?: string;
  /** `--workspace DIR`: Claude Code's built-in tools, confined to DIR. */
  readonly workspace?: string;
  readonly plan?: TaskTree;
  /** A workflow file's steps, run instead of a plan (`taskforce run workflow.yaml`). */
  readonly workflow?: Workflow;
  readonly tracePath?: string;
  /** `--metrics-port`: serve Prometheus metrics on this loopback port while the run lasts. */
  readonly metricsPort?: number;
  readonly seed?: number;
  readonly json: boolean;
  /** `--stream` (with `--json`): events as JSON lines, the result last. */
  readonly stream?: boolean;
  /** `--redis` / `TASKFORCE_REDIS_URL`: agents run on workers through this queue. */
  readonly queue?: { readonly redis: string; readonly name?: string };
  /** Journal the run (a new one, or one to resume) in this store under this id. */
  readonly journal?: CliJournal;
}

/** Whether the goal argument names a plan or workflow file (it ends in .yaml, .yml or .json and exists). */
function isRunFileArgument(io: CliIo, argument: string): boolean {
  return /\.(ya?ml|json)$/i.test(argument) && existsSync(cliPath(io, argument));
}

/** `taskforce run`. */
export async function runCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, RUN_FLAGS, RUN_HELP);
  if (parsed.help) return printHelp(io);
  const planPath = stringFlag(parsed, 'plan');
  if (parsed.positionals.length > 1)
    throw new UsageError(`expected one goal, got ${parsed.positionals.length} arguments (put the goal in quotes)`, RUN_HELP);
  if (parsed.positionals.length === 0 && planPath === undefined) throw new UsageError('missing argument <goal>', RUN_HELP);
  const options = runOptionsOf(parsed);
  const db = stringFlag(parsed, 'db');
  const runId = stringFlag(parsed, 'run-id');
  const noJournal = booleanFlag(parsed, 'no-journal');
  if (noJournal && (db !== undefined || runId !== undefined)) throw new UsageError('--no-journal runs without a journal: leave out --db and --run-id', RUN_HELP);
  if (runId !== undefined && !RUN_ID_PATTERN.test(runId))
    throw new UsageError(`--run-id must be letters, digits, "_", "." or "-" (starting with a letter or digit), got "${runId}"`, RUN_HELP);
  const source = modelSourceOf(parsed, io.env, RUN_HELP);
  const model = await resolveCliModelSource('run', source, io);
  // A plan or workflow file: `--plan FILE`, or the goal argument itself when it names a .yaml/.yml/.json file.
  const filePath = planPath ?? (parsed.positionals[0] !== undefined && isRunFileArgument(io, parsed.positionals[0]) ? parsed.positionals[0] : undefined);
  const file = filePath !== undefined ? await loadRunFile(cliPath(io, filePath)) : undefined;
  const goal = (filePath === parsed.positionals[0] ? undefined : parsed.positionals[0]) ?? (file?.kind === 'plan' ? file.tree.goal : file!.workflow.goal);
  const command: OrchestrateCommand = {
    ...options,
    goal,
    model,
    ...(file?.kind === 'plan' ? { plan: file.tree } : {}),
    ...(file?.kind === 'workflow' ? { workflow: file.workflow } : {}),
  };
  const store = noJournal ? undefined : await openJournalStore(io, db);
  if (!store) return executeOrchestration(command, io);
  try {
    const journal: CliJournal = { store, runId: runId ?? newRunId(), metadata: cliRunMetadata(command, source, io), ...(db !== undefined ? { db } : {}) };
    return await executeOrchestration({ ...command, journal }, io);
  } finally {
    await store.close();
  }
}

/**
 * The run store for `taskforce run`. Without `--db`, a store that cannot be opened because
 * better-sqlite3 is missing is not worth failing the run for: one warning, and the run goes unjournaled.
 * `open` is for tests.
 */
export async function openJournalStore(io: CliIo, db: string | undefined, open: typeof openRunStore = openRunStore): Promise<RunStore | undefined> {
  try {
    return await open({ ...(db !== undefined ? { path: db } : {}), cwd: io.cwd, env: io.env });
  } catch (error) {
    if (db !== undefined || !TaskforceError.isInstance(error) || error.code !== 'STORE_UNAVAILABLE') throw error;
    println(io.stderr, `taskforce run: warning: running without a journal (the run cannot be resumed): ${error.message}`);
    return undefined;
  }
}

/** The run flags other than goal, model and plan; `usage` is the help a usage error shows. */
export function runOptionsOf(parsed: ParsedArgs, usage: string = RUN_HELP): Omit<OrchestrateCommand, 'goal' | 'model' | 'plan'> {
  const refineRounds = numberFlag(parsed, 'refine', usage, { integer: true, min: 1 });
  const maxDepth = numberFlag(parsed, 'max-depth', usage, { integer: true, min: 0 });
  const budgetUsd = numberFlag(parsed, 'budget-usd', usage, { min: 0 });
  const concurrency = numberFlag(parsed, 'concurrency', usage, { integer: true, min: 1 });
  const seed = numberFlag(parsed, 'seed', usage, { integer: true });
  const strategy = stringFlag(parsed, 'strategy');
  if (strategy !== undefined && !ALL_STRATEGIES.includes(strategy))
    throw new UsageError(`unknown strategy "${strategy}": use ${ALL_STRATEGIES.join(', ')}`, usage);
  const tracePath = stringFlag(parsed, 'trace');
  const redis = stringFlag(parsed, 'redis');
  const queueName = stringFlag(parsed, 'queue');
  if (queueName !== undefined && redis === undefined) throw new UsageError('--queue names the workers\' queue on a Redis server: give --redis URL too', usage);
  const mcpConfig = stringFlag(parsed, 'mcp-config');
  const workspace = stringFlag(parsed, 'workspace');
  const metricsPort = numberFlag(parsed, 'metrics-port', usage, { integer: true, min: 0, max: 65535 });
  const json = booleanFlag(parsed, 'json');
  const stream = booleanFlag(parsed, 'stream');
  if (stream && !json) throw new UsageError('--stream prints JSON lines and needs --json', usage);
  return {
    json,
    ...(stream ? { stream } : {}),
    agentsDirs: stringList(parsed, 'agents'),
    ...(booleanFlag(parsed, 'strict') ? { strictAgents: true } : {}),
    ...(mcpConfig !== undefined ? { mcpConfig } : {}),
    ...(workspace !== undefined ? { workspace } : {}),
    ...(strategy !== undefined ? { strategy } : {}),
    ...(maxDepth !== undefined ? { maxDepth } : {}),
    ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    ...(refineRounds !== undefined ? { refine: { maxRounds: refineRounds } } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(tracePath !== undefined ? { tracePath } : {}),
    ...(metricsPort !== undefined ? { metricsPort } : {}),
    ...(redis !== undefined ? { queue: { redis, ...(queueName !== undefined ? { name: queueName } : {}) } } : {}),
  };
}

/**
 * Runs one orchestration for the CLI: live view on stderr, trace file, Ctrl-C through the run's
 * AbortSignal (the partial result is still printed), then answer and metrics (or JSON) on stdout.
 */
export async function executeOrchestration(command: OrchestrateCommand, io: CliIo): Promise<ExitCode> {
  const { journal } = command;
  const runtime = {
    ...(command.seed !== undefined ? { seed: command.seed } : {}),
    ...(command.strictAgents === true ? { strictAgents: true } : {}),
    limits: {
      ...(command.maxDepth !== undefined ? { maxDepth: command.maxDepth } : {}),
      ...(command.concurrency !== undefined ? { concurrency: command.concurrency } : {}),
    },
    // What the learning strategies learn (trails, reputations) is kept in the same database as the journal.
    ...(journal ? { runStore: journal.store } : {}),
  };
  const result = await withTaskforce(io, { model: command.model, agentsDirs: command.agentsDirs, ...(command.mcpConfig !== undefined ? { mcpConfig: command.mcpConfig } : {}), ...(command.workspace !== undefined ? { workspace: command.workspace } : {}), json: command.json, runtime }, async (taskforce, view) => {
    // First, so a port that cannot be bound fails the command before anything else is opened.
    const metrics = command.metricsPort !== undefined ? await startCliMetrics(io, command.metricsPort) : undefined;
    metrics?.attach(taskforce.runtime.events);
    const trace = command.tracePath !== undefined ? createJsonlTraceWriter(cliPath(io, command.tracePath), { label: command.tracePath }) : undefined;
    trace?.attach(taskforce.runtime.events);
    if (journal) view?.message(journalLine(journal));
    const queue = command.queue ?? (io.env.TASKFORCE_REDIS_URL ? { redis: io.env.TASKFORCE_REDIS_URL } : undefined);
    const agentRunner = queue ? await queueAgentRunner({ redis: queue.redis, ...(queue.name !== undefined ? { queue: queue.name } : {}) }) : undefined;
    const onInterrupt = () => view?.message('Ctrl-C: cancelling the run; the partial result follows (Ctrl-C again quits at once).');
    io.interrupt.addEventListener('abort', onInterrupt, { once: true });
    try {
      const run = command.stream ? (goal: string, options: OrchestrateRunOptions) => streamRun(taskforce.runtime, goal, options, io) : taskforce.orchestrate;
      return await run(command.goal, {
        signal: io.interrupt,
        ...(command.strategy !== undefined ? { strategy: command.strategy as 'direct' } : {}),
        ...(command.maxDepth !== undefined ? { maxDepth: command.maxDepth } : {}),
        ...(command.budgetUsd !== undefined ? { budgets: { maxCostUsd: command.budgetUsd } } : {}),
        ...(command.refine ? { refine: command.refine } : {}),
        ...(command.plan ? { plan: command.plan } : {}),
        ...(command.workflow ? { workflow: command.workflow } : {}),
        ...(agentRunner ? { agentRunner } : {}),
        ...(journal
          ? { durable: journal.store, runId: journal.runId, ...(journal.metadata ? { journalMetadata: { cli: journal.metadata } } : {}) }
          : {}),
      });
    } finally {
      io.interrupt.removeEventListener('abort', onInterrupt);
      await agentRunner?.close();
      await metrics?.close();
      await trace?.close();
    }
  });
  if (command.stream) println(io.stdout, safeJsonStringify({ type: 'result', ...runResultJson(result, command.model) }));
  else if (command.json) println(io.stdout, JSON.stringify(runResultJson(result, command.model), null, 2));
  else
    io.stdout.write(
      formatRunResult(result, {
        notice: command.model.notice,
        provenance: command.model.provenance,
        interrupted: io.interrupt.aborted,
        colours: colourFor(io.stdout, io.env),
      }),
    );
  if (result.stoppedBy?.kind === 'waiting') {
    if (!command.json && journal)
      for (const taskId of result.stoppedBy.taskIds) println(io.stderr, `waiting for approval of ${taskId}: ${approveHint(journal.runId, taskId, journal.db)}`);
    return EXIT.WAITING;
  }
  if (result.stoppedBy?.kind === 'cancelled') return EXIT.CANCELLED;
  return result.stoppedBy ? EXIT.FAILED : EXIT.OK;
}

/** The `--json` document of a run: the whole result plus where the model's replies came from. */
export function runResultJson(result: RunResult<unknown>, model: ResolvedModelSource): Record<string, unknown> {
  return {
    ok: result.stoppedBy === undefined,
    model: { label: model.label, provenance: model.provenance, notice: model.notice },
    output: result.output,
    ...(result.stoppedBy ? { stoppedBy: result.stoppedBy } : {}),
    metrics: result.metrics,
    caps: result.caps,
    tree: result.tree,
    lineage: result.lineage,
    ...(result.compensations ? { compensations: result.compensations } : {}),
    ...(result.durable ? { durable: result.durable } : {}),
  };
}

/** `--json --stream`: the run's stream events as JSON lines on stdout; the caller prints the result line. */
async function streamRun(runtime: Runtime, goal: string, options: OrchestrateRunOptions, io: CliIo): Promise<RunResult> {
  const stream = orchestrateStream(goal, { ...options, runtime });
  for await (const event of stream) if (event.type !== 'result') println(io.stdout, safeJsonStringify(event));
  return stream.result;
}

function printHelp(io: CliIo): ExitCode {
  println(io.stdout, RUN_HELP);
  return EXIT.OK;
}
