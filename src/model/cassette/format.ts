import { z } from 'zod';
import type { ProviderResult, ProviderStreamPart } from '../types.js';

/** Version of the cassette file format; bump it (and keep reading the old ones) when the format changes. */
export const CASSETTE_SCHEMA_VERSION = 1;

/** First line of a cassette: plain, versioned data saying where its replies came from. */
export const CassetteHeader = z.object({
  $schemaVersion: z.literal(CASSETTE_SCHEMA_VERSION),
  type: z.literal('taskforce.cassette'),
  /** `recorded`: real model replies captured in record mode. `scripted`: written by hand or by a script. */
  source: z.enum(['recorded', 'scripted']),
  description: z.string().optional(),
});
/** The parsed cassette header. */
export type CassetteHeader = z.infer<typeof CassetteHeader>;

const UsageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadTokens: z.number().optional(),
  cacheWriteTokens: z.number().optional(),
});

const ProviderResultSchema = z.object({
  text: z.string(),
  toolCalls: z.array(z.object({ id: z.string(), name: z.string(), input: z.unknown() })),
  usage: UsageSchema,
  stopReason: z.enum(['end_turn', 'tool_use', 'max_tokens', 'stop_sequence', 'refusal', 'other']),
  modelId: z.string(),
  refusal: z.string().optional(),
});

const StreamPartSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text-delta'), text: z.string() }),
  z.object({ type: z.literal('finish'), result: ProviderResultSchema }),
]);

/** A recorded reply: one result, or the stream parts exactly as they arrived (the last one is `finish`). */
export const CassetteResponse = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('generate'), result: ProviderResultSchema }),
  z.object({
    kind: z.literal('stream'),
    parts: z.array(StreamPartSchema).refine((parts) => parts.at(-1)?.type === 'finish', 'the last stream part must be "finish"'),
  }),
]);
/** The parsed form, typed as the model layer's own result types (the schema checks the same shape). */
export type CassetteResponse =
  | { readonly kind: 'generate'; readonly result: ProviderResult }
  | { readonly kind: 'stream'; readonly parts: readonly ProviderStreamPart[] };

/**
 * One request and its reply. `hash` is what replay matches on; a hand-written entry may leave it out
 * and it is computed from `provider`, `model` and `request` when the cassette is read.
 */
export const CassetteEntry = z.object({
  hash: z.string().optional(),
  provider: z.string(),
  model: z.string(),
  /** The request as hashed (no `signal` or `callId`), kept so a cassette can be read and diffed. */
  request: z.record(z.string(), z.unknown()),
  response: CassetteResponse,
});
/** One parsed cassette line: a request and its recorded reply. */
export type CassetteEntry = Omit<z.infer<typeof CassetteEntry>, 'response'> & { readonly response: CassetteResponse };
