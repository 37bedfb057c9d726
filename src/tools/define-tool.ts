import type { z } from 'zod';
import { ConfigError } from '../errors/taskforce-error.js';
import { asZodSchema, toSchemaAdapter, type SchemaInput, type SchemaOutput } from '../model/schema-adapter.js';
import { jsonSchemaOf } from '../model/structured.js';
import type { ToolSpec } from '../model/types.js';
import type { Tool, ToolContext } from './types.js';

/**
 * What `defineTool` takes: a name the model calls, a description, an input schema (zod 4, zod 3 or a
 * Standard Schema validator that gives a JSON Schema), the function.
 */
export interface ToolDefinition<Schema extends SchemaInput, Output> {
  /** 1–64 characters of `[A-Za-z0-9_-]`, the set both Anthropic and OpenAI accept. */
  readonly name: string;
  /** Tells the model when and how to use the tool. */
  readonly description: string;
  readonly input: Schema;
  /** Receives the input already validated by `input`, and a signal that fires on timeout or abort. */
  execute(input: SchemaOutput<Schema>, context: ToolContext): Promise<Output> | Output;
  /** Per-call timeout in ms; default is the runtime's `limits.toolTimeoutMs`. */
  readonly timeoutMs?: number;
  /**
   * Set to `true` when the tool changes the world (writes, deletes, sends, pays, runs commands). Default
   * `false`: read-only. A side-effecting tool is offered only to agents granted it: an agent whose own
   * `tools` list names it, a grant in the runtime's `toolGrants`, or (call by call) the runtime's
   * `approveToolCall` hook. Agents without a `tools` list get read-only tools only.
   */
  readonly sideEffects?: boolean;
  /** Running a call twice has the effect of running it once (durable runs re-run calls a crash cut; see `Tool.idempotent`). */
  readonly idempotent?: boolean;
  /** In a durable run, each call waits for a person's approval (see `Tool.requiresApproval`). */
  readonly requiresApproval?: Tool['requiresApproval'];
}

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Defines a tool agents may call. The model sees the JSON Schema of `input`; every call is validated
 * against it before `execute` runs, and invalid calls go back to the model with the zod issues.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { defineTool } from 'taskforce-agents';
 *
 * const add = defineTool({
 *   name: 'add',
 *   description: 'Adds two numbers.',
 *   input: z.object({ a: z.number(), b: z.number() }),
 *   execute: ({ a, b }) => a + b,
 * });
 *
 * // Changes the world: only agents granted it may call it (see `sideEffects`).
 * const save = defineTool({
 *   name: 'save_file',
 *   description: 'Writes a file.',
 *   input: z.object({ path: z.string(), text: z.string() }),
 *   sideEffects: true,
 *   execute: async ({ path, text }) => `wrote ${text.length} characters to ${path}`,
 * });
 * ```
 */
export function defineTool<Schema extends SchemaInput, Output>(
  definition: ToolDefinition<Schema, Output>,
): Tool<SchemaOutput<Schema>, Output> {
  if (!TOOL_NAME.test(definition.name))
    throw new ConfigError(
      `tool name ${JSON.stringify(definition.name)} is invalid: use 1-64 characters of letters, digits, "_" or "-"`,
    );
  if (!definition.description.trim()) throw new ConfigError(`tool "${definition.name}" needs a description`);
  if (definition.sideEffects !== undefined && typeof definition.sideEffects !== 'boolean')
    throw new ConfigError(`tool "${definition.name}": sideEffects must be true or false, got ${String(definition.sideEffects)}`);
  if (definition.timeoutMs !== undefined && !(definition.timeoutMs > 0))
    throw new ConfigError(`tool "${definition.name}": timeoutMs must be a positive number, got ${definition.timeoutMs}`);
  // Fails here, at definition time, rather than at the first model call, if the schema cannot be sent.
  const where = `tool "${definition.name}" input`;
  const schema = toSchemaAdapter(definition.input, where).jsonSchema;
  if (schema.type !== 'object')
    throw new ConfigError(`tool "${definition.name}": input must be a zod object schema, or an object schema of zod 3 or a Standard Schema library (providers require an object)`);
  return {
    name: definition.name,
    description: definition.description,
    // The tool loop validates with zod 4; a zod 3 or Standard Schema is wrapped, its own validation inside.
    input: asZodSchema(definition.input as SchemaInput<SchemaOutput<Schema>>, where) as z.ZodType<SchemaOutput<Schema>>,
    inputSchema: schema,
    execute: definition.execute,
    ...(definition.timeoutMs !== undefined ? { timeoutMs: definition.timeoutMs } : {}),
    ...(definition.sideEffects ? { sideEffects: true } : {}),
    ...(definition.idempotent ? { idempotent: true } : {}),
    ...(definition.requiresApproval ? { requiresApproval: definition.requiresApproval } : {}),
  };
}

/** The tool as the model sees it: name, description and the JSON Schema of its input. */
export function toolSpecOf(tool: Tool): ToolSpec {
  return { name: tool.name, description: tool.description, inputSchema: tool.inputSchema ?? jsonSchemaOf(tool.input) };
}
