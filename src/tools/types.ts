import type { z } from 'zod';
import type { JsonSchema } from '../model/types.js';

/** What a tool's `execute` receives besides its validated input. */
export interface ToolContext {
  readonly signal: AbortSignal;
  readonly agent: string;
  readonly taskId?: string;
  readonly callId: string;
  /**
   * In a durable run: the same for every execution of this call (run, task, agent, call index), across
   * retries and resumes. Tool calls are at-least-once (a crash between the call and its journal entry
   * runs it again), so a tool with side effects should deduplicate on this key.
   */
  readonly idempotencyKey?: string;
}

/** A tool agents may call. Create with `defineTool`. */
export interface Tool<Input = unknown, Output = unknown> {
  readonly name: string;
  readonly description: string;
  /** zod schema of the input; the model sees its JSON Schema and calls are validated against it. */
  readonly input: z.ZodType<Input>;
  execute(input: Input, context: ToolContext): Promise<Output> | Output;
  /** The JSON Schema of `input`, as `defineTool` computed it once (computed per use when absent). */
  readonly inputSchema?: JsonSchema;
  /** Per-call timeout in ms; default is the runtime's tool timeout. */
  readonly timeoutMs?: number;
  /**
   * `true` when a call changes something outside the run: writes or deletes files, sends a message,
   * spends money, runs a command. Such a tool runs only for agents granted it (their own `tools`
   * list, the runtime's `toolGrants`) or, call by call, approved by the runtime's `approveToolCall`;
   * agents without a `tools` list never inherit it. Absent or `false`: read-only, offered to every
   * agent whose lists allow it.
   */
  readonly sideEffects?: boolean;
  /**
   * `true` when running the call twice has the effect of running it once. A durable run that resumes
   * after a crash in the middle of a non-idempotent call warns (`log` event) before running it again.
   */
  readonly idempotent?: boolean;
  /**
   * In a durable run, each call waits for a person's approval (`taskforce approve`): the run parks
   * in state `waiting`, and continues when approved. `timeoutMs` applies `default` after that long.
   */
  readonly requiresApproval?: boolean | { readonly timeoutMs?: number; readonly default?: 'approve' | 'reject' };
}
