import type { TaskTree } from '../../plan/types.js';
import type { Workflow } from '../../workflow/types.js';
import type { RefineOptions } from '../../orchestrate/refine.js';
import type { RunStore } from '../../store/run-store.js';
import { booleanFlag, numberFlag, parseCommandArgs, requirePositionals, stringFlag, type FlagSpec, type ParsedArgs } from '../args.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { println, type CliIo } from '../io.js';
import { DB_FLAG, DB_FLAG_HELP, requireRun, storedCliMetadata, withCliStore } from '../journal.js';
import { MODEL_FLAGS, MODEL_FLAGS_HELP, modelSourceFromFlags, modelSourceOf, resolveCliModelSource } from '../model-flags.js';
import { executeOrchestration, type OrchestrateCommand } from './run.js';

/** The flags of every command that continues a run (`resume`, `approve`, `reject`, `dlq retry`). */
export const RESUME_FLAGS = {
  ...MODEL_FLAGS,
  ...DB_FLAG,
  'budget-usd': { type: 'string' },
  trace: { type: 'string' },
  redis: { type: 'string' },
  queue: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies FlagSpec;

/** Help lines for `RESUME_FLAGS`. */
export const RESUME_FLAGS_HELP = `${MODEL_FLAGS_HELP}
                      (without a model flag: the model source the run was started with)
  --budget-usd USD    a new budget for the whole run (default: the run's own)
  --trace FILE        write this process's events as JSON lines to FILE
  --redis URL, --queue NAME
                      the workers' queue (default: the one the run used, with the URL from
                      --redis or TASKFORCE_REDIS_URL when it needs credentials)
${DB_FLAG_HELP}
  --json              print only the result as JSON on stdout (no live view)`;

export const RESUME_HELP = `Usage: taskforce resume [options] <run-id>

Continues a journaled run where it stopped (a crash, Ctrl-C, a budget, an approval decided): tasks
that completed are not run again and model calls already made are answered from the journal. The
run's goal, plan and settings (model source, agents, strategy, limits, seed) come from the store;
flags given here override them.

Options:
${RESUME_FLAGS_HELP}
  -h, --help          show this help

Exit codes: 0 done, 1 run failed or stopped by a budget (or held by another live process),
2 usage or configuration error (an unknown run id included), 3 waiting for approval,
130 cancelled with Ctrl-C.

Examples:
  taskforce resume run_4f2a9c1b7e
  taskforce resume --model openai:gpt-5-mini --budget-usd 2 run_4f2a9c1b7e
  taskforce resume --db runs.db --json run_4f2a9c1b7e`;

/** `taskforce resume`. */
export async function resumeCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, RESUME_FLAGS, RESUME_HELP);
  if (parsed.help) {
    println(io.stdout, RESUME_HELP);
    return EXIT.OK;
  }
  const [runId] = requirePositionals(parsed, ['run-id'], RESUME_HELP);
  return withCliStore(io, parsed, (store) => resumeStoredRun(store, runId!, parsed, io, { command: 'resume', usage: RESUME_HELP }));
}

/**
 * Continues run `runId` of `store` through the same path as `taskforce run`: the command is rebuilt
 * from the record (its goal, stored plan and the CLI settings `run` kept), with `RESUME_FLAGS` given
 * now taking precedence. The caller closes the store.
 */
export async function resumeStoredRun(
  store: RunStore,
  runId: string,
  parsed: ParsedArgs,
  io: CliIo,
  context: { readonly command: string; readonly usage: string },
): Promise<ExitCode> {
  const budgetFlag = numberFlag(parsed, 'budget-usd', context.usage, { min: 0 });
  const fromFlags = modelSourceFromFlags(parsed, context.usage);
  const record = await requireRun(store, runId);
  const cli = storedCliMetadata(record);
  const stored = record.options as {
    readonly strategy?: unknown;
    readonly maxDepth?: number;
    readonly concurrency?: number;
    readonly budgets?: { readonly maxCostUsd?: number };
    readonly refine?: RefineOptions;
    readonly plan?: TaskTree;
    readonly workflow?: Workflow;
  };
  const model = await resolveCliModelSource(context.command, fromFlags ?? cli?.model ?? modelSourceOf(parsed, io.env, context.usage), io);
  const strategy = cli?.strategy ?? (typeof stored.strategy === 'string' ? stored.strategy : undefined);
  const maxDepth = cli?.maxDepth ?? stored.maxDepth;
  const concurrency = cli?.concurrency ?? stored.concurrency;
  const budgetUsd = budgetFlag ?? cli?.budgetUsd ?? stored.budgets?.maxCostUsd;
  const refine = cli?.refine ?? stored.refine;
  const tracePath = stringFlag(parsed, 'trace');
  const db = stringFlag(parsed, 'db');
  const redis = stringFlag(parsed, 'redis') ?? io.env.TASKFORCE_REDIS_URL ?? cli?.queue?.redis;
  const queueName = stringFlag(parsed, 'queue') ?? cli?.queue?.name;
  const command: OrchestrateCommand = {
    goal: record.goal,
    model,
    json: booleanFlag(parsed, 'json'),
    agentsDirs: cli?.agentsDirs ?? [],
    ...(cli?.strictAgents ? { strictAgents: true } : {}),
    ...(cli?.mcpConfig !== undefined ? { mcpConfig: cli.mcpConfig } : {}),
    ...(cli?.workspace !== undefined ? { workspace: cli.workspace } : {}),
    ...(cli?.seed !== undefined ? { seed: cli.seed } : {}),
    ...(strategy !== undefined ? { strategy } : {}),
    ...(maxDepth !== undefined ? { maxDepth } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    ...(refine ? { refine } : {}),
    ...(stored.plan ? { plan: stored.plan } : {}),
    ...(stored.workflow ? { workflow: stored.workflow } : {}),
    ...(tracePath !== undefined ? { tracePath } : {}),
    ...(redis !== undefined ? { queue: { redis, ...(queueName !== undefined ? { name: queueName } : {}) } } : {}),
    journal: { store, runId, ...(db !== undefined ? { db } : {}) },
  };
  return executeOrchestration(command, io);
}
