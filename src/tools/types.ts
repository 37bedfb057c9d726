import type { z } from 'zod';
import type { JsonSchema } from '../model/types.js';

/** What a tool's `execute` receives besides its validated input. */
export interface ToolContext {
  readonly signal: AbortSignal;
  readonly agent: string;
  readonly taskId?: string;
  readonly callId: string;
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
}
