import { spawn } from 'node:child_process';
import { AbortedError, TaskforceError } from '../errors/taskforce-error.js';
import type { EventBus } from '../events/bus.js';
import type { Clock } from '../util/clock.js';
import type { AgentDefinition } from './types.js';

/** Which hook of an agent definition. `pre` runs before the first model call, `post` after the answer. */
export type HookKind = 'pre' | 'post';

/** What a hook process did. */
export interface HookOutcome {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** An agent's hook exited non-zero, timed out or could not start; the agent run stops. */
export class HookFailedError extends TaskforceError {
  readonly agent: string;
  readonly hook: HookKind;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly stderr: string;
  constructor(args: {
    agent: string;
    source: string;
    hook: HookKind;
    outcome: HookOutcome;
    timeoutMs: number;
    /** 1-based position and count, when the hook is a list of commands. */
    step?: { index: number; of: number };
  }) {
    const { outcome } = args;
    const why = outcome.timedOut
      ? `timed out after ${args.timeoutMs} ms`
      : outcome.exitCode === null
        ? 'did not run'
        : `exited with code ${outcome.exitCode}`;
    const detail = outcome.stderr.trim() ? `: ${outcome.stderr.trim().slice(-500)}` : '';
    const which = args.step ? ` (command ${args.step.index} of ${args.step.of})` : '';
    super('HOOK_FAILED', `${args.hook} hook${which} of agent "${args.agent}" (${args.source}) ${why}${detail}`);
    this.agent = args.agent;
    this.hook = args.hook;
    this.exitCode = outcome.exitCode;
    this.timedOut = outcome.timedOut;
    this.stderr = outcome.stderr;
  }
}

/** What running a hook needs from the runtime. */
export interface HookDeps {
  readonly limits: { readonly allowHooks: boolean; readonly hookTimeoutMs: number };
  readonly events: EventBus;
  readonly clock: Clock;
}

export interface HookInput {
  /** Sent on the hook's stdin: the prompt for `pre`, the agent's answer for `post`. */
  readonly stdin: string;
  readonly taskId?: string;
  readonly signal?: AbortSignal;
}

/** Bytes of stdout / stderr kept per hook (the rest is dropped, and the cut is marked). */
const MAX_CAPTURE = 16 * 1024;

/**
 * Runs an agent's `pre` or `post` hook, if it has one.
 *
 * Hooks are shell commands from agent files, which may come from anywhere, so:
 * - they run only when `limits.allowHooks` is true; otherwise a `hook.skipped` event is emitted;
 * - the command is the file's text, run as `/bin/sh -c <command>`; task data never enters the command
 *   string: the prompt (or answer) arrives on stdin, and `TASKFORCE_AGENT`, `TASKFORCE_TASK_ID` and
 *   `TASKFORCE_HOOK` in the environment;
 * - the environment is minimal (PATH, HOME, locale, TMPDIR and the TASKFORCE_ variables), so API keys
 *   in the parent's environment are not handed to the script;
 * - the process group is killed after `limits.hookTimeoutMs`.
 *
 * Exit code, stdout and stderr are reported as a `hook.ran` event. A hook that exits non-zero, times
 * out or cannot start throws `HookFailedError`: a hook is a gate, and a failed gate stops the run.
 * A hook given as a list runs each command the same way, in order, one `hook.ran` event each, and
 * stops at the first that fails (the rest do not run); each command gets the same stdin.
 */
export async function runHook(deps: HookDeps, agent: AgentDefinition, hook: HookKind, input: HookInput): Promise<void> {
  const given = agent.hooks?.[hook];
  const commands = (typeof given === 'string' ? [given] : (given ?? [])).filter((c) => c.trim() !== '');
  if (commands.length === 0) return;
  if (!deps.limits.allowHooks) {
    deps.events.emit({
      type: 'hook.skipped',
      agent: agent.name,
      hook,
      reason: 'hooks are disabled (set limits.allowHooks to true to run shell commands from agent files)',
    });
    return;
  }
  if (input.signal?.aborted) throw new AbortedError(`aborted before the ${hook} hook of agent "${agent.name}"`);
  const env = hookEnvironment(process.env, { agent: agent.name, hook, ...(input.taskId !== undefined ? { taskId: input.taskId } : {}) });
  for (const [i, command] of commands.entries()) {
    const outcome = await runShell(command, { env, stdin: input.stdin, timeoutMs: deps.limits.hookTimeoutMs, clock: deps.clock, ...(input.signal ? { signal: input.signal } : {}) });
    deps.events.emit({ type: 'hook.ran', agent: agent.name, hook, ...outcome });
    if (input.signal?.aborted) throw new AbortedError(`aborted during the ${hook} hook of agent "${agent.name}"`);
    if (outcome.exitCode !== 0 || outcome.timedOut)
      throw new HookFailedError({
        agent: agent.name,
        source: agent.source,
        hook,
        outcome,
        timeoutMs: deps.limits.hookTimeoutMs,
        ...(typeof given === 'string' ? {} : { step: { index: i + 1, of: commands.length } }),
      });
  }
}

const PASSED_THROUGH = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TZ'];

/** The environment a hook sees: a few host variables needed to run programs, plus the task data. */
export function hookEnvironment(
  host: NodeJS.ProcessEnv,
  data: { agent: string; hook: HookKind; taskId?: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = host[name];
    if (value !== undefined) env[name] = value;
  }
  env.TASKFORCE_AGENT = data.agent;
  env.TASKFORCE_HOOK = data.hook;
  env.TASKFORCE_TASK_ID = data.taskId ?? '';
  return env;
}

function runShell(
  command: string,
  options: { env: Record<string, string>; stdin: string; timeoutMs: number; clock: Clock; signal?: AbortSignal },
): Promise<HookOutcome> {
  return new Promise<HookOutcome>((resolve) => {
    const stdout = capture();
    const stderr = capture();
    let timedOut = false;
    let settled = false;
    // Its own process group, so a timeout kills what the script started too, not just the shell.
    const child = spawn('/bin/sh', ['-c', command], { env: options.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const timerAbort = new AbortController();
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const onAbort = () => killGroup();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    options.clock.sleep(options.timeoutMs, timerAbort.signal).then(
      () => {
        timedOut = true;
        killGroup();
      },
      () => undefined,
    );
    const done = (exitCode: number | null, extraError?: string) => {
      if (settled) return;
      settled = true;
      timerAbort.abort();
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ exitCode, stdout: stdout.text(), stderr: extraError ? `${stderr.text()}${extraError}` : stderr.text(), timedOut });
    };
    child.stdout.on('data', stdout.add);
    child.stderr.on('data', stderr.add);
    // A script that never reads stdin closes the pipe early; that is not a failure of the hook.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => done(null, `could not start /bin/sh: ${error.message}`));
    child.on('close', (code) => done(code));
    child.stdin.end(options.stdin);
  });
}

function capture(): { add: (chunk: Buffer) => void; text: () => string } {
  const chunks: Buffer[] = [];
  let size = 0;
  let cut = false;
  return {
    add(chunk) {
      if (size >= MAX_CAPTURE) {
        cut = true;
        return;
      }
      const part = chunk.subarray(0, MAX_CAPTURE - size);
      if (part.length < chunk.length) cut = true;
      chunks.push(part);
      size += part.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8') + (cut ? '\n[output cut]' : ''),
  };
}
