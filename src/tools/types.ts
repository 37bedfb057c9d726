import type { z } from 'zod';

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
  /** Per-call timeout in ms; default is the runtime's tool timeout. */
  readonly timeoutMs?: number;
}
