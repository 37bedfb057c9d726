import type { JsonSchema, ResponseFormat } from '../types.js';

/**
 * Tool arguments as the agent loop wants them: parsed JSON, or — when the model sent something that is
 * not JSON — the raw string, so the loop can tell the model what was wrong instead of crashing here.
 * Empty arguments mean "no arguments" (`{}`), as both providers send for parameterless tools.
 */
export function parseToolArguments(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Key a non-object schema is wrapped under, since tool inputs and OpenAI `json_schema` roots must be objects. */
const WRAP_KEY = 'value';

/** A response format's schema made acceptable as a root object schema, and how to undo the wrapping. */
export interface RootObjectSchema {
  readonly schema: JsonSchema;
  /** Whether `schema` wraps the caller's schema under a `value` key. */
  readonly wrapped: boolean;
  /** Turns what the model produced for `schema` back into a value for the caller's schema. */
  readonly unwrap: (value: unknown) => unknown;
}

/**
 * Providers only take an object at the root of a tool input / `json_schema`. An array or scalar
 * schema (`z.array(...)`) is wrapped as `{ value: <schema> }` and unwrapped on the way back.
 */
export function rootObjectSchema(format: ResponseFormat): RootObjectSchema {
  if (format.schema.type === 'object') return { schema: format.schema, wrapped: false, unwrap: (value) => value };
  return {
    schema: { type: 'object', properties: { [WRAP_KEY]: format.schema }, required: [WRAP_KEY], additionalProperties: false },
    wrapped: true,
    unwrap: (value) =>
      value !== null && typeof value === 'object' && !Array.isArray(value) && WRAP_KEY in value
        ? (value as Record<string, unknown>)[WRAP_KEY]
        : value,
  };
}

/**
 * Text form of a forced-tool structured reply: the unwrapped value as JSON, or the raw text when the
 * model's arguments were not JSON (`parseToolArguments` kept the string), so validation reports it.
 */
export function structuredText(toolInput: unknown, root: RootObjectSchema): string {
  return typeof toolInput === 'string' ? toolInput : JSON.stringify(root.unwrap(toolInput));
}
