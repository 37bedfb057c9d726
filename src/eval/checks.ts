import { z } from 'zod';
import { isSchemaInput, toSchemaAdapter } from '../model/schema-adapter.js';
import { extractJson } from '../model/structured.js';
import type { CheckContext, CheckSpec } from './types.js';

/** One check's outcome. */
export interface CheckResult {
  readonly name: string;
  readonly type: CheckSpec['type'];
  readonly pass: boolean;
  /** Why it failed, or what it confirmed. */
  readonly message: string;
  /** Tokens and cost the check itself spent (an LLM judge). */
  readonly tokens?: number;
  readonly costUsd?: number;
}

/** The judge behind `llm-judge` checks: the runner supplies one bound to the judge model. */
export type JudgeFn = (
  check: Extract<CheckSpec, { type: 'llm-judge' }>,
  input: { readonly goal: string; readonly output: string },
) => Promise<{ readonly pass: boolean; readonly reasons: readonly string[]; readonly tokens: number; readonly costUsd: number }>;

/**
 * Runs one check on `output`. A check that cannot run (an invalid regex, a custom function that
 * throws, a judge call that fails) fails with the error as its message: it is never a pass.
 */
export async function runCheck(check: CheckSpec, output: string, context: CheckContext, deps: { readonly judge?: JudgeFn } = {}): Promise<CheckResult> {
  const name = check.name ?? defaultName(check);
  const result = (pass: boolean, message: string, extra: Partial<CheckResult> = {}): CheckResult => ({ name, type: check.type, pass, message, ...extra });
  try {
    switch (check.type) {
      case 'contains':
      case 'not-contains': {
        const wanted = typeof check.value === 'string' ? [check.value] : [...check.value];
        const haystack = check.ignoreCase ? output.toLowerCase() : output;
        const found = wanted.filter((w) => haystack.includes(check.ignoreCase ? w.toLowerCase() : w));
        if (check.type === 'contains') {
          const missing = wanted.filter((w) => !found.includes(w));
          return missing.length === 0 ? result(true, `contains ${quoteAll(wanted)}`) : result(false, `missing ${quoteAll(missing)}`);
        }
        return found.length === 0 ? result(true, `contains none of ${quoteAll(wanted)}`) : result(false, `must not contain ${quoteAll(found)}`);
      }
      case 'regex': {
        const regex = new RegExp(check.pattern, check.flags);
        const match = regex.exec(output);
        return match ? result(true, `matched "${match[0].slice(0, 60)}"`) : result(false, `no match for /${check.pattern}/${check.flags ?? ''}`);
      }
      case 'json-schema': {
        let value: unknown;
        try {
          value = extractJson(output);
        } catch (error) {
          return result(false, `output is not JSON (${(error as Error).message})`);
        }
        // A zod 4 / zod 3 / Standard Schema goes through the one schema adapter; plain data is JSON Schema.
        const schema = isSchemaInput(check.schema)
          ? toSchemaAdapter(check.schema, 'json-schema check')
          : toSchemaAdapter(z.fromJSONSchema(check.schema as Parameters<typeof z.fromJSONSchema>[0]), 'json-schema check');
        const parsed = await schema.parse(value);
        if (parsed.ok) return result(true, 'output matches the schema');
        return result(false, `schema mismatch: ${parsed.issues.slice(0, 3).join('; ')}`);
      }
      case 'custom': {
        const verdict = await check.fn(output, context);
        if (typeof verdict === 'boolean') return result(verdict, verdict ? 'passed' : 'the function returned false');
        return result(verdict.pass, verdict.message ?? (verdict.pass ? 'passed' : 'failed'));
      }
      case 'llm-judge': {
        if (!deps.judge) return result(false, 'no judge model: give the check or the suite a "judge" model');
        const verdict = await deps.judge(check, { goal: context.input, output });
        return result(verdict.pass, verdict.pass ? 'the judge passed it' : `the judge failed it: ${verdict.reasons.join('; ') || 'no reason given'}`, {
          tokens: verdict.tokens,
          costUsd: verdict.costUsd,
        });
      }
    }
  } catch (error) {
    return result(false, `the check could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function defaultName(check: CheckSpec): string {
  switch (check.type) {
    case 'contains':
    case 'not-contains':
      return `${check.type} ${clip(quoteAll(typeof check.value === 'string' ? [check.value] : check.value), 48)}`;
    case 'regex':
      return `regex /${clip(check.pattern, 30)}/`;
    case 'json-schema':
      return 'json-schema';
    case 'custom':
      return check.name;
    case 'llm-judge':
      return 'llm-judge';
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function quoteAll(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}
