import { z } from 'zod';
import { RefusalError, StructuredOutputError, TruncatedOutputError } from '../../errors/output-errors.js';
import { AbortedError, ConfigError, TaskforceError } from '../../errors/taskforce-error.js';
import { jsonSchemaOf } from '../../model/structured.js';
import type { Message, Model, Usage } from '../../model/types.js';
import { addUsage, ZERO_USAGE } from '../../model/types.js';
import { citationProblems, findCitations } from './citations.js';
import { SynthesisError } from './errors.js';
import { judgeAnswer, verdictProblems } from './judge.js';
import { feedbackMessage, objectFormat, renderSources, textFormat } from './prompt.js';
import { fillTemplate, readPromptTemplate } from '../../util/prompt-template.js';
import type { Citation, SynthesisCheck, SynthesisResult, SynthesisSource, SynthesizeOptions } from './types.js';

type CheckResult = Omit<SynthesisCheck, 'attempt'>;

/** What one synthesis call produced, before the judge. */
interface Draft<T> {
  /** The reply as sent back to the model when re-asking. */
  readonly raw: string;
  /** Present when the reply is usable as an output (always for text; when the schema matched for objects). */
  readonly value?: { readonly output: T };
  readonly citations: readonly Citation[];
  readonly checks: readonly CheckResult[];
  readonly usage: Usage;
  readonly costUsd: number;
}

interface Attempt<T> extends Draft<T> {
  readonly number: number;
  readonly allChecks: readonly CheckResult[];
  readonly problems: readonly string[];
  readonly passed: boolean;
}

type Drafter<T> = (messages: readonly Message[]) => Promise<Draft<T>>;

const CitationReply = z.object({
  part: z.string().describe('the part of the answer, quoted or summarised'),
  taskIds: z.array(z.string()).describe('ids of the results this part draws on'),
});

/**
 * Merges child results into one answer to `goal`, citing which tasks each part came from, and checks
 * it: cited ids must exist, the answer must be complete, match `outputSchema` if given and pass the
 * `rubric` judge if given. Failing attempts are re-asked with their problems, up to `maxAttempts`
 * synthesis calls; then the best attempt is returned with `passed: false` (or, with `strict`,
 * `SynthesisError` is thrown). A single result with no schema and no rubric is returned as it is,
 * without a model call.
 *
 * @example
 * const { output, citations } = await synthesize({
 *   goal: 'Summarise the market',
 *   results: [
 *     { taskId: 'size', title: 'Market size', output: 'About $4B.', agents: ['researcher'] },
 *     { taskId: 'rivals', title: 'Competitors', output: 'Acme and Globex.', agents: ['researcher'] },
 *   ],
 *   model,
 * });
 */
export function synthesize(options: SynthesizeOptions<string> & { readonly outputSchema?: undefined }): Promise<SynthesisResult<string>>;
export function synthesize<T>(options: SynthesizeOptions<T> & { readonly outputSchema: z.ZodType<T> }): Promise<SynthesisResult<T>>;
export async function synthesize<T>(options: SynthesizeOptions<T>): Promise<SynthesisResult<T | string>> {
  const maxAttempts = validateOptions(options);
  const { goal, results, model, outputSchema, rubric, signal } = options;
  const single = results.length === 1 ? results[0] : undefined;
  if (single && !outputSchema && rubric === undefined) return passThrough(single);

  const taskIds = results.map((r) => r.taskId);
  const format = outputSchema ? objectFormat(taskIds, jsonSchemaOf(outputSchema)) : textFormat(taskIds);
  const prompt = fillTemplate(
    readPromptTemplate('synthesizer.md'),
    { goal, results: renderSources(results), format },
    'synthesizer.md',
  );
  const draft: Drafter<T | string> = outputSchema
    ? objectDrafter(model, outputSchema, taskIds, options)
    : textDrafter(model, taskIds, options);

  const first: Message = { role: 'user', content: prompt };
  let messages: readonly Message[] = [first];
  const attempts: Attempt<T | string>[] = [];
  let usage = ZERO_USAGE;
  let costUsd = 0;
  for (let number = 1; number <= maxAttempts; number++) {
    if (signal?.aborted) throw new AbortedError(`synthesis aborted before attempt ${number}`, { cause: signal.reason });
    const asAborted = abortedDuring(signal, number);
    const drafted = await draft(messages).catch(asAborted);
    usage = addUsage(usage, drafted.usage);
    costUsd += drafted.costUsd;
    const allChecks = [...drafted.checks];
    // The judge only sees answers that are structurally sound; judging a broken one wastes a call.
    if (rubric !== undefined && drafted.value && allChecks.every((c) => c.passed)) {
      const { output } = drafted.value;
      const judged = await judgeAnswer({
        judge: options.judge ?? model,
        goal,
        rubric,
        answer: typeof output === 'string' ? output : JSON.stringify(output, null, 2),
        ...(signal ? { signal } : {}),
      }).catch(asAborted);
      usage = addUsage(usage, judged.usage);
      costUsd += judged.costUsd;
      const problems = verdictProblems(judged.verdict);
      allChecks.push({ check: 'rubric', passed: problems.length === 0, problems });
    }
    const problems = allChecks.flatMap((c) => c.problems);
    const passed = allChecks.every((c) => c.passed);
    options.events?.emit({ type: 'synthesis.attempt', attempt: number, passed, problems });
    attempts.push({ ...drafted, number, allChecks, problems, passed });
    if (passed) break;
    messages = [first, { role: 'assistant', content: drafted.raw }, { role: 'user', content: feedbackMessage(problems) }];
  }

  const best = bestAttempt(attempts);
  const last = attempts.at(-1);
  if (!best?.value)
    throw new SynthesisError({
      reason: 'no attempt produced an answer matching the output schema',
      attempts: attempts.length,
      problems: last?.problems ?? [],
      raw: last?.raw ?? '',
    });
  if (options.strict && !best.passed)
    throw new SynthesisError({
      reason: 'no attempt passed its checks (strict mode)',
      attempts: attempts.length,
      problems: best.problems,
      raw: best.raw,
    });
  return {
    output: best.value.output,
    citations: best.citations,
    passed: best.passed,
    attempts: attempts.length,
    chosenAttempt: best.number,
    checks: attempts.flatMap((a) => a.allChecks.map((c) => ({ attempt: a.number, ...c }))),
    usage,
    costUsd,
  };
}

/** A Markdown answer with `[task-id]` markers. */
function textDrafter(model: Model, taskIds: readonly string[], options: SynthesizeOptions<unknown>): Drafter<string> {
  const known = new Set(taskIds);
  return async (messages) => {
    const result = await model.generate({
      messages,
      ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
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
function objectDrafter<T>(model: Model, schema: z.ZodType<T>, taskIds: readonly string[], options: SynthesizeOptions<T>): Drafter<T> {
  const envelope = z.object({ answer: schema, citations: z.array(CitationReply) });
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

/**
 * Providers reject an aborted call with the signal's own reason (or a connection error); turn that into
 * our `AbortedError` so callers can branch on `code === 'ABORTED'`.
 */
function abortedDuring(signal: AbortSignal | undefined, attempt: number): (error: unknown) => never {
  return (error) => {
    const isAborted = TaskforceError.isInstance(error) && error.code === 'ABORTED';
    if (signal?.aborted && !isAborted) throw new AbortedError(`synthesis aborted during attempt ${attempt}`, { cause: error });
    throw error;
  };
}

/** Passing beats failing, then fewer problems, then the later attempt (it had the feedback). */
function bestAttempt<T>(attempts: readonly Attempt<T>[]): Attempt<T> | undefined {
  let best: Attempt<T> | undefined;
  for (const attempt of attempts) {
    if (!attempt.value) continue;
    if (
      !best ||
      Number(attempt.passed) > Number(best.passed) ||
      (attempt.passed === best.passed && attempt.problems.length <= best.problems.length)
    )
      best = attempt;
  }
  return best;
}

function passThrough(source: SynthesisSource): SynthesisResult<string> {
  return {
    output: source.output,
    citations: [{ part: source.output, taskIds: [source.taskId] }],
    passed: true,
    attempts: 0,
    chosenAttempt: 0,
    checks: [],
    usage: ZERO_USAGE,
    costUsd: 0,
  };
}

function validateOptions(options: SynthesizeOptions<unknown>): number {
  const maxAttempts = options.maxAttempts ?? 2;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new ConfigError(`synthesize option "maxAttempts" must be a positive integer, got ${String(maxAttempts)}`);
  if (typeof options.goal !== 'string' || options.goal.trim() === '')
    throw new ConfigError('synthesize option "goal" must be a non-empty string');
  if (options.results.length === 0)
    throw new ConfigError(`synthesize option "results" is empty: nothing to merge for goal "${options.goal}"`);
  const seen = new Set<string>();
  options.results.forEach((r, i) => {
    if (typeof r.taskId !== 'string' || r.taskId.trim() === '')
      throw new ConfigError(`synthesize option "results[${i}].taskId" must be a non-empty string`);
    if (seen.has(r.taskId)) throw new ConfigError(`synthesize option "results[${i}].taskId" repeats task id "${r.taskId}"`);
    seen.add(r.taskId);
  });
  if (options.rubric !== undefined && options.rubric.trim() === '')
    throw new ConfigError('synthesize option "rubric" is empty; omit it or give the criteria');
  return maxAttempts;
}
