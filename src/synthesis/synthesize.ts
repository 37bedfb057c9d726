import type { z } from 'zod';
import { isAborted } from '../errors/classify.js';
import { AbortedError, ConfigError } from '../errors/taskforce-error.js';
import { jsonSchemaOf } from '../model/structured.js';
import type { Message } from '../model/types.js';
import { addUsage, ZERO_USAGE } from '../model/types.js';
import { objectDrafter, textDrafter, type CheckResult, type Draft, type Drafter } from './drafters.js';
import { SynthesisError } from './errors.js';
import { judgeAnswer, verdictProblems } from './judge.js';
import { feedbackMessage, objectFormat, renderSources, textFormat } from './prompt.js';
import { fillTemplate, readPromptTemplate } from '../util/prompt-template.js';
import type { SchemaInput } from '../model/schema-adapter.js';
import type { SynthesisResult, SynthesisSource, SynthesizeOptions } from './types.js';

interface Attempt<T> extends Draft<T> {
  readonly number: number;
  readonly allChecks: readonly CheckResult[];
  readonly problems: readonly string[];
  readonly passed: boolean;
}

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
export function synthesize<T>(options: SynthesizeOptions<T> & { readonly outputSchema: SchemaInput<T> }): Promise<SynthesisResult<T>>;
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

/**
 * Providers reject an aborted call with the signal's own reason (or a connection error); turn that into
 * our `AbortedError` so callers can branch on `code === 'ABORTED'`.
 */
function abortedDuring(signal: AbortSignal | undefined, attempt: number): (error: unknown) => never {
  return (error) => {
    if (signal?.aborted && !isAborted(error)) throw new AbortedError(`synthesis aborted during attempt ${attempt}`, { cause: error });
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
