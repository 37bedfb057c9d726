import { spawn } from 'node:child_process';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import type { Tool } from '../types.js';
import { WorkspaceToolError, type Workspace } from './workspace.js';

/** Default and largest per-command timeout, in ms (Claude Code's: 2 and 10 minutes). */
export const BASH_DEFAULT_TIMEOUT_MS = 120_000;
export const BASH_MAX_TIMEOUT_MS = 600_000;
/** Characters of output kept (stdout and stderr together); the rest is cut with a note. */
export const BASH_MAX_OUTPUT = 30_000;

const BashInput = z.object({
  command: z.string().min(1).describe('The command to run with bash, in the workspace root'),
  timeout: z.number().int().positive().max(BASH_MAX_TIMEOUT_MS).optional().describe(`Timeout in ms (max ${BASH_MAX_TIMEOUT_MS})`),
  description: z.string().optional().describe('What the command does, in a few words'),
});

interface BashOptions {
  /** Timeout when the call gives none. Default `BASH_DEFAULT_TIMEOUT_MS`. */
  readonly timeoutMs?: number;
}

/**
 * Claude Code's `Bash`: runs `bash -c command` in the workspace root, with a timeout that kills the
 * command's whole process group, and its output capped. A non-zero exit or a timeout is an error
 * result that carries the output. Side-effecting, and never granted by default: an agent gets it
 * only when its `tools` list names `Bash` or the runtime grants it.
 *
 * The working folder is the root, but a shell command can reach any path the process can: confinement
 * here is the grant, not a sandbox.
 */
export function bashTool(workspace: Workspace, options: BashOptions = {}): Tool<z.output<typeof BashInput>, string> {
  return defineTool({
    name: 'Bash',
    description:
      'Runs a bash command in the workspace root and returns its output (stdout and stderr) and exit code. ' +
      `Times out after ${options.timeoutMs ?? BASH_DEFAULT_TIMEOUT_MS} ms unless timeout is given.`,
    input: BashInput,
    sideEffects: true,
    // The command's own timeout decides; the runtime's tool timeout would cut a long one short.
    timeoutMs: BASH_MAX_TIMEOUT_MS + 5_000,
    execute: async ({ command, timeout }, { signal }) => {
      const cwd = await workspace.root();
      const result = await runBash(command, { cwd, timeoutMs: timeout ?? options.timeoutMs ?? BASH_DEFAULT_TIMEOUT_MS, signal });
      const body = result.output === '' ? '(no output)' : result.output;
      if (result.timedOut) throw new WorkspaceToolError(`command timed out after ${result.timeoutMs} ms and was killed\n${body}`);
      if (result.exitCode !== 0)
        throw new WorkspaceToolError(`command exited with code ${result.exitCode ?? `signal ${result.signal}`}\n${body}`);
      return `${body}\n(exit code 0)`;
    },
  });
}

interface BashResult {
  readonly output: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly timeoutMs: number;
}

function runBash(command: string, options: { cwd: string; timeoutMs: number; signal: AbortSignal }): Promise<BashResult> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout or an abort kills what the command started too.
    const child = spawn('bash', ['-c', command], { cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let cut = false;
    const take = (chunk: Buffer) => {
      if (output.length >= BASH_MAX_OUTPUT) {
        cut = true;
        return;
      }
      output += chunk.toString('utf8');
      if (output.length > BASH_MAX_OUTPUT) {
        output = output.slice(0, BASH_MAX_OUTPUT);
        cut = true;
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = () => kill();
    options.signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      done();
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      done();
      const text = output.replace(/\n$/, '') + (cut ? `\n… (output cut at ${BASH_MAX_OUTPUT} characters)` : '');
      resolve({ output: text, exitCode, signal, timedOut, timeoutMs: options.timeoutMs });
    });
  });
}
