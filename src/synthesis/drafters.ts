import { z } from 'zod';
import { RefusalError, StructuredOutputError, TruncatedOutputError } from '../errors/output-errors.js';
import type { Message, Model, Usage } from '../model/types.js';
import { ZERO_USAGE } from '../model/types.js';
import { generateWithText } from '../model/stream-text.js';
import { citationProblems, findCitations } from './citations.js';
import { asZodSchema, type SchemaInput } from '../model/schema-adapter.js';
import type { Citation, SynthesisCheck, SynthesizeOptions } from './types.js';

/** A check's outcome within one attempt (the attempt number is added when attempts are gathered). */
export type CheckResult = Omit<SynthesisCheck, 'attempt'>;

/** What one synthesis call produced, before the judge. */
export interface Draft<T> {
  /** The reply as sent back to the model when re-asking. */
  readonly raw: string;
  /** Present when the reply is usable as an output (always for text; when the schema matched for objects). */
  readonly value?: { readonly output: T };
  readonly citations: readonly Citation[];
  readonly checks: readonly CheckResult[];
  readonly usage: Usage;
  readonly costUsd: number;
}

/** Makes one synthesis call on the conversation so far and checks what came back. */
export type Drafter<T> = (messages: readonly Message[]) => Promise<Draft<T>>;

/** One citation of a schema answer, as the model writes it (ids are checked against the sources after). */
const CitationReply = z.object({
  part: z.string().describe('the part of the answer, quoted or summarised'),
  taskIds: z.array(z.string()).describe('ids of the results this part draws on'),
});

/** A Markdown answer with `[task-id]` markers. */
export function textDrafter(model: Model, taskIds: readonly string[], options: SynthesizeOptions<unknown>): Drafter<string> {
  const known = new Set(taskIds);
  const { onText } = options;
  let drafts = 0;
  return async (messages) => {
    const request = {
      messages,
      ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const draft = ++drafts;
    const result = onText ? await generateWithText(model, request, (text) => onText(text, draft)) : await model.generate(request);
    if (result.stopReason === 'refusal' || result.refusal) throw new RefusalError(model.provider, result.refusal ?? result.text);
    const text = result.text.trim();
    const incomplete: string[] = [];
    if (text === '') incomplete.push('the answer is empty');
    if (result.stopReason === 'max_tokens') incomplete.push('the answer was cut off at the token limit; write a shorter answer');
    const found = findCitations(text, known);
    const cited = citationProblems(found.citations, found.unknownIds, taskIds);
    return {
      raw: result.text,
      value: { output: text },
      citations: found.citations,
      checks: [
        { check: 'complete', passed: incomplete.length === 0, problems: incomplete },
        { check: 'citations', passed: cited.length === 0, problems: cited },
      ],
      usage: result.usage,
      costUsd: result.costUsd,
    };
  };
}

/**
 * A JSON reply `{ answer, citations }` through the model's structured mode. Repairs are ours, not
 * `generateObject`'s (`maxRepairs: 0`), so schema issues count as attempts and reach the events.
 */
export function objectDrafter<T>(model: Model, schema: SchemaInput<T>, taskIds: readonly string[], options: SynthesizeOptions<T>): Drafter<T> {
  // A zod 3 or Standard Schema answer is wrapped as zod 4 (its JSON Schema kept) to sit in the envelope.
  const envelope = z.object({ answer: asZodSchema(schema, 'outputSchema'), citations: z.array(CitationReply) });
  const known = new Set(taskIds);
  return async (messages) => {
    try {
      const result = await model.generateObject({
        messages,
        schema: envelope,
        schemaName: 'synthesis',
        schemaDescription: 'The merged answer and which results each part came from',
        maxRepairs: 0,
        ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const unknown = new Set<string>();
      const citations: Citation[] = [];
      for (const c of result.object.citations) {
        for (const id of c.taskIds) if (!known.has(id)) unknown.add(id);
        const ids = [...new Set(c.taskIds.filter((id) => known.has(id)))];
        if (ids.length) citations.push({ part: c.part, taskIds: ids });
      }
      const cited = citationProblems(citations, [...unknown], taskIds);
      return {
        raw: result.raw,
        value: { output: result.object.answer },
        citations,
        checks: [
          { check: 'schema', passed: true, problems: [] },
          { check: 'citations', passed: cited.length === 0, problems: cited },
        ],
        usage: result.usage,
        costUsd: result.costUsd,
      };
    } catch (error) {
      // The failed call's usage is not in the error; the runtime's model wrapper still counts it.
      const failed = (check: CheckResult, raw: string): Draft<T> => ({ raw, citations: [], checks: [check], usage: ZERO_USAGE, costUsd: 0 });
      if (error instanceof StructuredOutputError)
        return failed({ check: 'schema', passed: false, problems: error.issues.map((i) => `schema: ${i}`) }, error.raw);
      if (error instanceof TruncatedOutputError)
        return failed(
          { check: 'complete', passed: false, problems: ['the answer was cut off at the token limit; write a shorter answer'] },
          error.partial,
        );
      throw error;
    }
  };
}
