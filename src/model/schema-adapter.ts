import { z } from 'zod';
import { ConfigError } from '../errors/taskforce-error.js';
import { issueMessage } from '../util/zod-issues.js';

/** A JSON Schema object (the same shape as `JsonSchema` in types.ts, which imports this file). */
type JsonSchema = Record<string, unknown>;

/**
 * A Standard Schema validator (https://standardschema.dev): Valibot, ArkType, Effect Schema, zod ≥ 3.24…
 * Taskforce needs its `validate` and a JSON Schema for the model: `~standard.jsonSchema` (the Standard
 * JSON Schema extension) or a vendor `toJsonSchema()` / `toJSONSchema()` method.
 */
export interface StandardSchemaLike<Output = unknown> {
  readonly '~standard': {
    readonly version: number;
    readonly vendor: string;
    validate(value: unknown): StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined;
    readonly jsonSchema?: unknown;
  };
}

type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly { readonly message: string; readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] | undefined }[] };

/** A zod 3 schema, as far as Taskforce reads it: its `_def` tree and `safeParse`. */
export interface Zod3Like<Output = unknown> {
  readonly _def: unknown;
  readonly _output: Output;
  safeParse(value: unknown): { success: true; data: Output } | { success: false; error: { issues: { path: (string | number)[]; message: string }[] } };
}

/** Any schema Taskforce takes from a user: zod 4, zod 3, or a Standard Schema validator that gives a JSON Schema. */
export type SchemaInput<Output = unknown> = z.ZodType<Output> | Zod3Like<Output> | StandardSchemaLike<Output>;

/** The output type of any supported schema. */
export type SchemaOutput<S> = S extends z.ZodType<infer O> ? O : S extends Zod3Like<infer O> ? O : S extends StandardSchemaLike<infer O> ? O : never;

/** The outcome of validating a value: the parsed value, or `path: message` issues. */
export type ParseOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: string[] };

/** One schema, whatever library made it: the JSON Schema the model sees and a validator for replies. */
export interface SchemaAdapter<T> {
  readonly kind: 'zod4' | 'zod3' | 'standard';
  readonly jsonSchema: JsonSchema;
  /** Validates `value`. Asynchronous only for a Standard Schema validator whose `validate` is. */
  parse(value: unknown): ParseOutcome<T> | Promise<ParseOutcome<T>>;
}

/** What a schema may be, for errors about something that is none of them. */
export const SUPPORTED_SCHEMAS =
  'Supported schemas: zod 4 (import { z } from "zod"), zod 3 (z.object(...) from zod@3), or a Standard Schema ' +
  'validator ("~standard" with validate) that gives a JSON Schema ("~standard".jsonSchema or a toJsonSchema() method).';

/**
 * The one entry point for user schemas: detects zod 4, zod 3 or Standard Schema and returns its JSON
 * Schema (draft-07, no `$schema`) and a validator. Anything else is a `ConfigError` naming `where`
 * and what is supported.
 *
 * @example
 * const person = toSchemaAdapter(z3.object({ name: z3.string() }), 'tool "lookup" input');
 * person.jsonSchema; // { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }
 */
export function toSchemaAdapter<T = unknown>(schema: unknown, where = 'schema'): SchemaAdapter<T> {
  if (isZod4(schema)) {
    const json = z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any' }) as JsonSchema;
    delete json.$schema;
    const fast = fastParsers.get(schema);
    return {
      kind: 'zod4',
      jsonSchema: json,
      parse(value) {
        const parsed = fast?.(value);
        if (parsed !== undefined) return { ok: true, value: parsed as T };
        const checked = schema.safeParse(value);
        if (checked.success) return { ok: true, value: checked.data as T };
        return { ok: false, issues: checked.error.issues.map((issue) => `${pathText(issue.path)}: ${issueMessage(issue)}`) };
      },
    };
  }
  if (isZod3(schema)) {
    const json = zod3ToJsonSchema(schema, where, []);
    return {
      kind: 'zod3',
      jsonSchema: json,
      parse(value) {
        const checked = schema.safeParse(value);
        if (checked.success) return { ok: true, value: checked.data as T };
        return { ok: false, issues: checked.error.issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`) };
      },
    };
  }
  if (isStandardSchema(schema)) {
    const json = standardJsonSchema(schema, where);
    const standard = schema['~standard'];
    const outcome = (result: StandardResult<unknown>): ParseOutcome<T> =>
      result.issues
        ? { ok: false, issues: result.issues.map((issue) => `${pathText((issue.path ?? []).map((p) => (typeof p === 'object' ? p.key : p)))}: ${issue.message}`) }
        : { ok: true, value: result.value as T };
    return {
      kind: 'standard',
      jsonSchema: json,
      parse(value) {
        const result = standard.validate(value);
        return result instanceof Promise ? result.then(outcome) : outcome(result);
      },
    };
  }
  throw new ConfigError(`${where}: ${describe(schema)} is not a schema Taskforce can use. ${SUPPORTED_SCHEMAS}`);
}

const fastParsers = new WeakMap<object, (value: unknown) => unknown>();

/**
 * Gives a zod 4 schema of ours a hand-written parser for its plainly valid values, which returns what
 * the schema's own parse would, or `undefined` to let the schema decide (and report the errors). For
 * schemas that validate large model replies (a 10,000-task plan), where zod's cost shows. Returns `schema`.
 */
export function withFastParse<S extends z.ZodType>(schema: S, parse: (value: unknown) => z.output<S> | undefined): S {
  fastParsers.set(schema, parse);
  return schema;
}

/** True for any schema `toSchemaAdapter` accepts (it may still fail to give a JSON Schema). */
export function isSchemaInput(value: unknown): value is SchemaInput {
  return isZod4(value) || isZod3(value) || isStandardSchema(value);
}

/**
 * The schema as a zod 4 schema, for places that keep one (a tool's `input`): zod 4 unchanged; others
 * wrapped in a zod 4 schema whose validation is theirs. An asynchronous Standard Schema validator
 * cannot be wrapped (tool input is validated synchronously): its first call reports that.
 */
export function asZodSchema<T>(schema: SchemaInput<T>, where = 'schema'): z.ZodType<T> {
  if (isZod4(schema)) return schema as z.ZodType<T>;
  const adapter = toSchemaAdapter<T>(schema, where);
  return z
    .unknown()
    .transform((value, ctx) => {
      const result = adapter.parse(value);
      if (result instanceof Promise) {
        ctx.addIssue({ code: 'custom', message: `${where}: the validator is asynchronous, which is not supported here` });
        return z.NEVER;
      }
      if (result.ok) return result.value;
      for (const issue of result.issues) ctx.addIssue({ code: 'custom', message: issue });
      return z.NEVER;
    })
    // The wrapped schema's own JSON Schema, so a zod 4 schema built around it (an envelope) shows it.
    .meta(adapter.jsonSchema) as unknown as z.ZodType<T>;
}

function isZod4(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value && typeof (value as z.ZodType).safeParse === 'function';
}

function isZod3(value: unknown): value is Zod3Like {
  return (
    typeof value === 'object' &&
    value !== null &&
    !('_zod' in value) &&
    '_def' in value &&
    typeof (value as { _def: unknown })._def === 'object' &&
    typeof (value as Zod3Like).safeParse === 'function'
  );
}

function isStandardSchema(value: unknown): value is StandardSchemaLike {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const standard = (value as Partial<StandardSchemaLike>)['~standard'];
  return typeof standard === 'object' && standard !== null && typeof standard.validate === 'function';
}

function pathText(path: readonly PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : '(root)';
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return `${typeof value} ${JSON.stringify(value)}`;
  const keys = Object.keys(value).slice(0, 5);
  return `an object with keys ${keys.length ? keys.join(', ') : '(none)'}`;
}

/** `~standard.jsonSchema` (Standard JSON Schema: `{ output(options) }` / `{ input(options) }`), else a vendor method. */
function standardJsonSchema(schema: StandardSchemaLike, where: string): JsonSchema {
  const vendor = schema['~standard'].vendor;
  const given = schema['~standard'].jsonSchema as
    | { output?: (options: { target: string }) => unknown; input?: (options: { target: string }) => unknown }
    | JsonSchema
    | undefined;
  const candidates: (() => unknown)[] = [];
  if (given && typeof given === 'object') {
    const converter = typeof given.output === 'function' ? given.output : typeof given.input === 'function' ? given.input : undefined;
    if (converter) {
      candidates.push(() => converter.call(given, { target: 'draft-07' }));
      candidates.push(() => converter.call(given, { target: 'draft-2020-12' }));
    } else candidates.push(() => given);
  }
  for (const method of ['toJsonSchema', 'toJSONSchema'] as const) {
    const fn = (schema as unknown as Record<string, unknown>)[method];
    if (typeof fn === 'function') candidates.push(() => (fn as () => unknown).call(schema));
  }
  let failure: unknown;
  for (const candidate of candidates) {
    try {
      const json = candidate();
      if (typeof json === 'object' && json !== null) {
        const out = { ...(json as JsonSchema) };
        delete out.$schema;
        return out;
      }
    } catch (error) {
      failure = error;
    }
  }
  const reason = failure instanceof Error ? ` (converting failed: ${failure.message})` : '';
  throw new ConfigError(
    `${where}: the ${vendor} validator gives no JSON Schema${reason}, and Taskforce must send one to the model. ` +
      `Give "~standard".jsonSchema (Standard JSON Schema) or a toJsonSchema() method, or use zod. ${SUPPORTED_SCHEMAS}`,
  );
}

interface Zod3Def {
  typeName?: string;
  description?: string;
  [key: string]: unknown;
}

/**
 * A zod 3 schema as JSON Schema (draft-07) for the common types. zod 4's `z.toJSONSchema` cannot read
 * zod 3, and zod 3 has no converter of its own; unsupported types are named in the error, with their path.
 */
export function zod3ToJsonSchema(schema: Zod3Like, where: string, path: readonly string[]): JsonSchema {
  const def = schema._def as Zod3Def;
  const out = convert(def, where, path);
  const description = def.description ?? (schema as { description?: string }).description;
  return description ? { ...out, description } : out;
}

function convert(def: Zod3Def, where: string, path: readonly string[]): JsonSchema {
  const child = (s: unknown, key?: string) => zod3ToJsonSchema(s as Zod3Like, where, key === undefined ? path : [...path, key]);
  const checks = (def.checks ?? []) as { kind: string; value?: number; inclusive?: boolean; regex?: RegExp }[];
  switch (def.typeName) {
    case 'ZodString': {
      const out: JsonSchema = { type: 'string' };
      for (const check of checks) {
        if (check.kind === 'min') out.minLength = check.value;
        else if (check.kind === 'max') out.maxLength = check.value;
        else if (check.kind === 'length') out.minLength = out.maxLength = check.value;
        else if (check.kind === 'email') out.format = 'email';
        else if (check.kind === 'url') out.format = 'uri';
        else if (check.kind === 'uuid') out.format = 'uuid';
        else if (check.kind === 'datetime') out.format = 'date-time';
        else if (check.kind === 'regex' && check.regex) out.pattern = check.regex.source;
      }
      return out;
    }
    case 'ZodNumber': {
      const out: JsonSchema = { type: checks.some((c) => c.kind === 'int') ? 'integer' : 'number' };
      for (const check of checks) {
        if (check.kind === 'min') out[check.inclusive ? 'minimum' : 'exclusiveMinimum'] = check.value;
        else if (check.kind === 'max') out[check.inclusive ? 'maximum' : 'exclusiveMaximum'] = check.value;
      }
      return out;
    }
    case 'ZodBigInt':
      return { type: 'integer' };
    case 'ZodBoolean':
      return { type: 'boolean' };
    case 'ZodNull':
      return { type: 'null' };
    case 'ZodAny':
    case 'ZodUnknown':
      return {};
    case 'ZodLiteral': {
      const value = def.value;
      return { type: value === null ? 'null' : typeof value, const: value };
    }
    case 'ZodEnum':
      return { type: 'string', enum: [...(def.values as string[])] };
    case 'ZodNativeEnum': {
      const values = Object.entries(def.values as Record<string, string | number>)
        // A numeric TypeScript enum maps names to numbers and numbers back to names; keep the values.
        .filter(([key]) => !/^\d+$/.test(key))
        .map(([, value]) => value);
      return { enum: values };
    }
    case 'ZodArray': {
      const out: JsonSchema = { type: 'array', items: child(def.type, '[]') };
      const min = def.minLength as { value: number } | null;
      const max = def.maxLength as { value: number } | null;
      const exact = def.exactLength as { value: number } | null;
      if (min) out.minItems = min.value;
      if (max) out.maxItems = max.value;
      if (exact) out.minItems = out.maxItems = exact.value;
      return out;
    }
    case 'ZodTuple':
      return { type: 'array', items: (def.items as unknown[]).map((item, i) => child(item, String(i))), minItems: (def.items as unknown[]).length };
    case 'ZodObject': {
      const shape = (typeof def.shape === 'function' ? (def.shape as () => Record<string, unknown>)() : def.shape) as Record<string, unknown>;
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [key, value] of Object.entries(shape)) {
        properties[key] = child(value, key);
        if (!isOptional(value)) required.push(key);
      }
      const out: JsonSchema = { type: 'object', properties };
      if (required.length) out.required = required;
      const catchall = (def.catchall as { _def?: Zod3Def } | undefined)?._def;
      if (catchall && catchall.typeName !== 'ZodNever') out.additionalProperties = child(def.catchall);
      else if (def.unknownKeys === 'strict') out.additionalProperties = false;
      return out;
    }
    case 'ZodRecord':
      return { type: 'object', additionalProperties: child(def.valueType, '*') };
    case 'ZodOptional':
      return child(def.innerType);
    case 'ZodNullable':
      return { anyOf: [child(def.innerType), { type: 'null' }] };
    case 'ZodDefault':
      return { ...child(def.innerType), default: (def.defaultValue as () => unknown)() };
    case 'ZodCatch':
    case 'ZodReadonly':
    case 'ZodBranded':
      return child(def.innerType ?? def.type);
    case 'ZodUnion':
    case 'ZodDiscriminatedUnion': {
      const options = (Array.isArray(def.options) ? def.options : [...(def.options as Map<unknown, unknown>).values()]) as unknown[];
      return { anyOf: options.map((option) => child(option)) };
    }
    case 'ZodIntersection':
      return { allOf: [child(def.left), child(def.right)] };
    case 'ZodEffects':
      // refine / transform / preprocess: the input's shape is the inner schema's.
      return child(def.schema);
    case 'ZodPipeline':
      return child(def.in);
    default:
      throw new ConfigError(
        `${where}: the zod 3 type ${def.typeName ?? '(unknown)'}${path.length ? ` at "${path.join('.')}"` : ''} has no JSON Schema in Taskforce's zod 3 converter. ` +
          'Supported zod 3 types: object, string, number, bigint, boolean, null, any, unknown, literal, enum, nativeEnum, array, tuple, ' +
          'record, optional, nullable, default, catch, readonly, branded, union, discriminatedUnion, intersection, effects (refine/transform), pipeline. ' +
          'Use zod 4 for other types (dates, maps, sets, lazy and recursive schemas).',
      );
  }
}

function isOptional(schema: unknown): boolean {
  const def = (schema as Zod3Like)._def as Zod3Def;
  if (def.typeName === 'ZodOptional' || def.typeName === 'ZodDefault') return true;
  if (def.typeName === 'ZodEffects') return isOptional(def.schema);
  return false;
}
