import { userInfo } from 'node:os';
import { decideApproval, type ApprovalDecision } from '../../durable/approvals.js';
import { booleanFlag, parseCommandArgs, requirePositionals, stringFlag, type FlagSpec } from '../args.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { println, type CliIo } from '../io.js';
import { dbArg, formatTime, heldByOther, requireRun, shellWord, withCliStore } from '../journal.js';
import { RESUME_FLAGS, RESUME_FLAGS_HELP, resumeStoredRun } from './resume.js';

const helpOf = (verb: 'approve' | 'reject'): string => `Usage: taskforce ${verb} [options] <run-id> <task>

${verb === 'approve' ? 'Approves' : 'Rejects'} the work of a journaled run that waits for approval (a plan task with
"approval"), then resumes the run${verb === 'approve' ? '' : ': the rejected task fails with APPROVAL_REJECTED'}.
<task> is a task id (every level of the run), or a task's path ("t1/t2" for task t2 of t1's
sub-run); "taskforce runs show <run-id>" lists what is pending. When another live process holds
the run, the decision is recorded and that process picks it up.

Options:
  --by NAME           who decides (default: $USER)
  --reason TEXT       why, kept in the journal
  --no-resume         record the decision only; continue later with "taskforce resume <run-id>"
${RESUME_FLAGS_HELP}
  -h, --help          show this help

Exit codes: 0 decided (and the resumed run done), 1 the resumed run failed, 2 usage error, unknown
run id or nothing pending for <task>, 3 the resumed run waits for another approval,
130 cancelled with Ctrl-C.

Examples:
  taskforce ${verb} run_4f2a9c1b7e publish${verb === 'reject' ? ' --reason "not before the review"' : ''}
  taskforce ${verb} --no-resume --by alice run_4f2a9c1b7e research/deploy`;

export const APPROVE_HELP = helpOf('approve');
export const REJECT_HELP = helpOf('reject');

const APPROVE_FLAGS = {
  ...RESUME_FLAGS,
  by: { type: 'string' },
  reason: { type: 'string' },
  'no-resume': { type: 'boolean' },
} as const satisfies FlagSpec;

/** `taskforce approve`. */
export function approveCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  return decide('approve', args, io);
}

/** `taskforce reject`. */
export function rejectCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  return decide('reject', args, io);
}

async function decide(verb: 'approve' | 'reject', args: readonly string[], io: CliIo): Promise<ExitCode> {
  const usage = helpOf(verb);
  const parsed = parseCommandArgs(args, APPROVE_FLAGS, usage);
  if (parsed.help) {
    println(io.stdout, usage);
    return EXIT.OK;
  }
  const [runId, target] = requirePositionals(parsed, ['run-id', 'task'], usage) as [string, string];
  const decision: ApprovalDecision = verb === 'approve' ? 'approved' : 'rejected';
  const by = stringFlag(parsed, 'by') ?? defaultDecider(io.env);
  const reason = stringFlag(parsed, 'reason');
  const json = booleanFlag(parsed, 'json');
  const db = stringFlag(parsed, 'db');
  return withCliStore(io, parsed, async (store) => {
    await requireRun(store, runId);
    const now = io.clock.now();
    const subjects = await decideApproval(store, runId, target, decision, { by, ...(reason !== undefined ? { reason } : {}), now });
    const record = await requireRun(store, runId);
    const holder = heldByOther(record.lease, io.clock.now()) ? record.lease : undefined;
    const resume = !booleanFlag(parsed, 'no-resume') && !holder;
    const targets = subjects.map((s) => (s.path ? `${s.path}/${s.taskId}` : s.taskId));
    const decided = `${decision} ${targets.join(', ')} of run ${runId} (by ${by}${reason !== undefined ? `: ${reason}` : ''})`;
    const next = holder
      ? `process ${holder.pid} on ${holder.host} holds the run (until ${formatTime(holder.expiresAt)}) and picks up the decision`
      : resume
        ? `resuming run ${runId}`
        : `continue with: taskforce resume ${shellWord(runId)}${dbArg(db)}`;
    if (json && !resume) println(io.stdout, JSON.stringify({ runId, decision, by, ...(reason !== undefined ? { reason } : {}), tasks: targets, resumed: false }, null, 2));
    // With --json and a resume, stdout is the run's result alone; the decision goes to stderr.
    else println(json ? io.stderr : io.stdout, `${decided}; ${next}`);
    if (!resume) return EXIT.OK;
    return resumeStoredRun(store, runId, parsed, io, { command: verb, usage });
  });
}

/** `$USER`, else the OS account name, else "unknown". */
function defaultDecider(env: NodeJS.ProcessEnv): string {
  if (env.USER) return env.USER;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
