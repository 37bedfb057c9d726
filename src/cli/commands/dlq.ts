import { markForRetry } from '../../durable/dead-letters.js';
import { DeadLetterNotFoundError } from '../../durable/errors.js';
import type { DeadLetter } from '../../store/run-store.js';
import { booleanFlag, parseCommandArgs, requirePositionals, stringFlag, type FlagSpec, type ParsedArgs } from '../args.js';
import { colourFor } from '../colour.js';
import { UsageError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { println, type CliIo } from '../io.js';
import { DB_FLAG, DB_FLAG_HELP, deadLetterLine, formatTime, withCliStore } from '../journal.js';
import { RESUME_FLAGS, resumeStoredRun } from './resume.js';

export const DLQ_HELP = `Usage: taskforce dlq list [options]
       taskforce dlq show [options] <id>
       taskforce dlq retry [options] <id>

The dead-letter queue: tasks of journaled runs that failed for good (their retries used up), kept
with their inputs and error. Resuming a run does not run them again; "retry" marks one for another
try and resumes its run, which runs the task and then its dependents.

Options:
  --run ID            list: only this run's dead letters
  --status S          list: open (not retried yet) or retried
${DB_FLAG_HELP}
  --json              print JSON on stdout
  -h, --help          show this help

  retry also takes --model, --scripted, --cassette, --budget-usd and --trace: the run continues
  as with "taskforce resume" (see "taskforce resume --help").

Exit codes: 0 ok (retry: the resumed run done), 1 the resumed run failed, 2 usage error or unknown
id, 3 the resumed run waits for approval, 130 cancelled with Ctrl-C.

Examples:
  taskforce dlq list --status open
  taskforce dlq show run_4f2a9c1b7e:facts
  taskforce dlq retry run_4f2a9c1b7e:facts`;

const DLQ_FLAGS = {
  ...RESUME_FLAGS,
  run: { type: 'string' },
  status: { type: 'string' },
} as const satisfies FlagSpec;

const STATUSES: readonly DeadLetter['status'][] = ['open', 'retried'];

/** `taskforce dlq list | show <id> | retry <id>`. */
export async function dlqCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, DLQ_FLAGS, DLQ_HELP);
  if (parsed.help) {
    println(io.stdout, DLQ_HELP);
    return EXIT.OK;
  }
  const [sub, ...rest] = parsed.positionals;
  const positionals = { ...parsed, positionals: rest };
  if (sub === 'list') {
    requirePositionals(positionals, [], DLQ_HELP);
    onlyFlags(parsed, ['db', 'json', 'run', 'status'], 'list');
    return list(parsed, io);
  }
  if (sub === 'show') {
    const [id] = requirePositionals(positionals, ['id'], DLQ_HELP);
    onlyFlags(parsed, ['db', 'json'], 'show');
    return withCliStore(io, parsed, async (store) => {
      const letter = await store.getDeadLetter(id!);
      if (!letter) throw new DeadLetterNotFoundError(id!);
      if (booleanFlag(parsed, 'json')) println(io.stdout, JSON.stringify(letter, null, 2));
      else println(io.stdout, formatLetter(letter));
      return EXIT.OK;
    });
  }
  if (sub === 'retry') {
    const [id] = requirePositionals(positionals, ['id'], DLQ_HELP);
    onlyFlags(parsed, [...Object.keys(RESUME_FLAGS)], 'retry');
    return withCliStore(io, parsed, async (store) => {
      const letter = await markForRetry(store, id!, io.clock.now());
      println(booleanFlag(parsed, 'json') ? io.stderr : io.stdout, `retrying ${letter.id} (task ${letter.taskId} of run ${letter.runId}); resuming the run`);
      return resumeStoredRun(store, letter.runId, parsed, io, { command: 'dlq retry', usage: DLQ_HELP });
    });
  }
  throw new UsageError(sub === undefined ? 'missing subcommand: list, show or retry' : `unknown subcommand "${sub}": use list, show or retry`, DLQ_HELP);
}

async function list(parsed: ParsedArgs, io: CliIo): Promise<ExitCode> {
  const status = stringFlag(parsed, 'status');
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) throw new UsageError(`unknown status "${status}": use open or retried`, DLQ_HELP);
  const runId = stringFlag(parsed, 'run');
  return withCliStore(io, parsed, async (store) => {
    const letters = await store.listDeadLetters({ ...(runId !== undefined ? { runId } : {}), ...(status !== undefined ? { status: status as DeadLetter['status'] } : {}) });
    if (booleanFlag(parsed, 'json')) println(io.stdout, JSON.stringify({ store: store.location, deadLetters: letters }, null, 2));
    else if (letters.length === 0) println(io.stdout, `no ${status !== undefined ? `${status} ` : ''}dead letters${runId !== undefined ? ` of run ${runId}` : ''} in ${store.location}`);
    else {
      const colours = colourFor(io.stdout, io.env);
      for (const letter of letters) println(io.stdout, `${deadLetterLine(letter, colours)}  ${formatTime(letter.createdAt)}`);
    }
    return EXIT.OK;
  });
}

/** A dead letter in full: task, error, attempts, and the inputs it received. */
function formatLetter(letter: DeadLetter): string {
  const inputs = Object.entries(letter.inputs);
  return [
    `dead letter ${letter.id}`,
    `status     ${letter.status}`,
    `run        ${letter.runId}`,
    `task       ${letter.path ? `${letter.path}/` : ''}${letter.taskId}: ${letter.title}`,
    `error      ${letter.error.code}: ${letter.error.message}`,
    `attempts   ${letter.attempts}`,
    `failed at  ${formatTime(letter.createdAt)}`,
    `inputs     ${inputs.length === 0 ? 'none' : `${inputs.length} (the outputs of the tasks it depends on)`}`,
    ...inputs.flatMap(([taskId, output]) => [`  --- ${taskId} ---`, ...output.split('\n').map((line) => `  ${line}`)]),
  ].join('\n');
}

/** A flag that means nothing to `sub` is a usage error rather than silently ignored. */
function onlyFlags(parsed: ParsedArgs, allowed: readonly string[], sub: string): void {
  const extra = Object.keys(parsed.values).filter((name) => parsed.values[name] !== undefined && !allowed.includes(name));
  if (extra.length > 0) throw new UsageError(`${extra.map((name) => `--${name}`).join(', ')} cannot be used with "dlq ${sub}"`, DLQ_HELP);
}
