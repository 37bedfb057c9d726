import { z } from 'zod';
import { issueMessage } from '../util/zod-issues.js';
import { RefusalError, StructuredOutputError, TruncatedOutputError } from '../errors/output-errors.js';
import type { EventBus } from '../events/bus.js';
import { toSchemaAdapter, type SchemaInput } from './schema-adapter.js';
import type { CallTags, GenerateObjectRequest, GenerateObjectResult, GenerateRequest, GenerateResult, JsonSchema, Message, ResponseFormat } from './types.js';
import { addUsage, requestMessages, ZERO_USAGE } from './types.js';

/**
 * JSON Schema for a user schema (zod 4, zod 3 or Standard Schema, see `toSchemaAdapter`), in the draft
 * the providers accept. Anything else is a `ConfigError` saying what is supported.
 */
export function jsonSchemaOf(schema: SchemaInput | z.ZodType, where?: string): JsonSchema {
  return toSchemaAdapter(schema, where).jsonSchema;
}

/** Formats zod issues as `path: message`, the form fed back to the model and put in errors. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issueMessage(issue)}`);
}

/** Pulls JSON out of model text: a bare object, or one inside a ```json fence or surrounding prose. */
export function extractJson(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch {
    const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed);
    if (fence?.[1]) return JSON.parse(fence[1].trim());
    const start = trimmed.search(/[[{]/);
    const end = Math.max(trimmed.lastIndexOf('}'), trimmed.lastIndexOf(']'));
    if (start >= 0 && end > start) return JSON.parse(trimmed.slice(start, end + 1));
    throw new SyntaxError('no JSON value found in the output');
  }
}

type Generate = (request: GenerateRequest & { responseFormat: ResponseFormat }) => Promise<GenerateResult>;

/**
 * Asks for JSON matching `schema` through the provider's native mode, validates it with the schema (zod 4, zod 3 or Standard Schema) and, when
 * invalid, re-asks with the problems (bounded). Refusals and cut output are errors, never parsed.
 */
export async function generateObjectWith<T>(
  generate: Generate,
  request: GenerateObjectRequest<T>,
  context: { provider: string; events?: EventBus; callId: string; tags?: CallTags },
): Promise<GenerateObjectResult<T>> {
  const schemaName = request.schemaName ?? 'result';
  const schema = toSchemaAdapter<T>(request.schema, `generateObject schema "${schemaName}"`);
  const responseFormat: ResponseFormat = {
    type: 'json',
    name: schemaName,
    schema: schema.jsonSchema,
    ...(request.schemaDescription ? { description: request.schemaDescription } : {}),
  };
  const maxRepairs = request.maxRepairs ?? 2;
  let messages: Message[] = [...requestMessages(request)];
  let usage = ZERO_USAGE;
  let costUsd = 0;
  let issues: string[] = [];
  let raw = '';
  const { schema: _schema, schemaName: _n, schemaDescription: _d, maxRepairs: _m, prompt: _p, ...base } = request;

  for (let attempt = 0; attempt <= maxRepairs; attempt++) {
    const result = await generate({ ...base, messages, responseFormat });
    usage = addUsage(usage, result.usage);
    costUsd += result.costUsd;
    if (result.stopReason === 'refusal' || result.refusal) throw new RefusalError(context.provider, result.refusal ?? result.text);
    raw = result.text;
    if (result.stopReason === 'max_tokens') throw new TruncatedOutputError(context.provider, raw, request.maxTokens);
    let parsed: unknown;
    try {
      parsed = extractJson(raw);
    } catch (error) {
      issues = [`(root): output is not valid JSON (${(error as Error).message})`];
      parsed = undefined;
    }
    if (parsed !== undefined) {
      const checked = await schema.parse(parsed);
      if (checked.ok) return { object: checked.value, usage, costUsd, repairs: attempt, raw };
      issues = checked.issues;
    }
    if (attempt < maxRepairs) {
      context.events?.emit({ type: 'model.repair', callId: context.callId, attempt: attempt + 1, issues, ...context.tags });
      messages = [
        ...messages,
        { role: 'assistant', content: raw },
        {
          role: 'user',
          content:
            `Your reply did not match the required JSON schema "${schemaName}":\n` +
            issues.map((i) => `- ${i}`).join('\n') +
            `\nReply again with only the corrected JSON.`,
        },
      ];
    }
  }
  throw new StructuredOutputError({ schemaName, raw, issues, attempts: maxRepairs + 1 });
}
