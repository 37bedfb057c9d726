import { pendingApprovals } from '../../durable/approvals.js';
import type { RunStatus } from '../../store/run-store.js';
import { booleanFlag, numberFlag, parseCommandArgs, requirePositionals, stringFlag, type FlagSpec } from '../args.js';
import { colourFor } from '../colour.js';
import { UsageError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { println, type CliIo } from '../io.js';
import { DB_FLAG, DB_FLAG_HELP, formatRunDetails, formatRunsTable, requireRun, runDetails, withCliStore } from '../journal.js';

const STATUSES: readonly RunStatus[] = ['running', 'waiting', 'completed', 'failed', 'cancelled', 'stopped'];

export const RUNS_HELP = `Usage: taskforce runs list [options]
       taskforce runs show [options] <run-id>

The runs journaled in the run store. "list" prints one line per run, newest first: id, status,
when it was created, cost, tasks completed/total and the goal. "show" prints one run: status, goal,
times, cost, tasks, where it stopped, the approvals it waits for, its dead letters, the
compensations it ran, its journal entries by kind, and the process holding it, if any.

Options:
  --status S          list: only runs with this status (${STATUSES.join(', ')})
  --limit N           list: at most N runs (default 20)
${DB_FLAG_HELP}
  --json              print JSON on stdout
  -h, --help          show this help

Exit codes: 0 ok, 2 usage error or unknown run id.

Examples:
  taskforce runs list
  taskforce runs list --status waiting --json
  taskforce runs show run_4f2a9c1b7e`;

const RUNS_FLAGS = {
  ...DB_FLAG,
  status: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies FlagSpec;

/** `taskforce runs list | show <run-id>`. */
export async function runsCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, RUNS_FLAGS, RUNS_HELP);
  if (parsed.help) {
    println(io.stdout, RUNS_HELP);
    return EXIT.OK;
  }
  const [sub, ...rest] = parsed.positionals;
  const json = booleanFlag(parsed, 'json');
  const colours = colourFor(io.stdout, io.env);
  if (sub === 'list') {
    requirePositionals({ ...parsed, positionals: rest }, [], RUNS_HELP);
    const status = stringFlag(parsed, 'status');
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status))
      throw new UsageError(`unknown status "${status}": use ${STATUSES.join(', ')}`, RUNS_HELP);
    const limit = numberFlag(parsed, 'limit', RUNS_HELP, { integer: true, min: 1 }) ?? 20;
    return withCliStore(io, parsed, async (store) => {
      const runs = await store.listRuns({ ...(status !== undefined ? { status: status as RunStatus } : {}), limit });
      if (json) println(io.stdout, JSON.stringify({ store: store.location, runs }, null, 2));
      else if (runs.length === 0) println(io.stdout, `no ${status !== undefined ? `${status} ` : ''}runs in ${store.location}`);
      else println(io.stdout, formatRunsTable(runs, colours).join('\n'));
      return EXIT.OK;
    });
  }
  if (sub === 'show') {
    if (stringFlag(parsed, 'status') !== undefined || stringFlag(parsed, 'limit') !== undefined)
      throw new UsageError('--status and --limit are options of "runs list"', RUNS_HELP);
    const [runId] = requirePositionals({ ...parsed, positionals: rest }, ['run-id'], RUNS_HELP);
    return withCliStore(io, parsed, async (store) => {
      const record = await requireRun(store, runId!);
      const details = await runDetails(store, record, await pendingApprovals(store, record.runId), io.clock.now());
      if (json) println(io.stdout, JSON.stringify({ store: store.location, ...details }, null, 2));
      else println(io.stdout, formatRunDetails(details, { ...(stringFlag(parsed, 'db') !== undefined ? { db: stringFlag(parsed, 'db')! } : {}), colours }).join('\n'));
      return EXIT.OK;
    });
  }
  throw new UsageError(sub === undefined ? 'missing subcommand: list or show' : `unknown subcommand "${sub}": use list or show`, RUNS_HELP);
}
