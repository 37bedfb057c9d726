import { describe, expect, it } from 'vitest';
import { z as z3 } from 'zod3';
import { EvalSuiteError } from '../../src/eval/errors.js';
import { runSuite } from '../../src/eval/runner.js';
import { defineSuite } from '../../src/eval/types.js';

describe('runSuite(defineSuite({...}))', () => {
  it('runs a suite declared in code, without loadSuite (once a raw TypeError)', async () => {
    const report = await runSuite(
      defineSuite({
        name: 'inline',
        model: { replies: ['{"primes": [2, 3, 5]}'] },
        cases: [
          {
            name: 'first-primes',
            task: { agent: 'analyst', prompt: 'The first three primes as JSON' },
            // A zod 3 schema in a json-schema check goes through the same schema adapter.
            checks: [{ type: 'json-schema', schema: z3.object({ primes: z3.array(z3.number()).length(3) }) }],
          },
        ],
      }),
    );
    expect(report.results.map((r) => [r.case, r.pass])).toEqual([['first-primes', true]]);
    expect(report.ok).toBe(true);
  });

  it('reports a zod 3 schema mismatch as a failed check with its path', async () => {
    const report = await runSuite(
      defineSuite({
        name: 'inline-fail',
        model: { replies: ['{"primes": ["two"]}'] },
        cases: [
          {
            name: 'bad',
            task: { agent: 'analyst', prompt: 'primes' },
            checks: [{ type: 'json-schema', schema: z3.object({ primes: z3.array(z3.number()) }) }],
          },
        ],
      }),
    );
    expect(report.results[0]!.checks[0]).toMatchObject({ pass: false });
    expect(report.results[0]!.checks[0]!.message).toContain('primes.0: Expected number, received string');
  });

  it('rejects a suite that is not one with an EvalSuiteError naming the suite and the field', async () => {
    await expect(runSuite(defineSuite({ name: 'broken' } as never))).rejects.toThrow(EvalSuiteError);
    await expect(runSuite(defineSuite({ name: 'broken' } as never))).rejects.toThrow(/defineSuite\("broken"\).*cases/);
  });
});
