import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCheck, type JudgeFn } from './checks.js';

const context = { input: 'goal', caseName: 'c', strategy: 'direct' };

describe('runCheck', () => {
  it('contains: passes when every value is present, and names the missing ones otherwise', async () => {
    expect(await runCheck({ type: 'contains', value: ['a', 'b'] }, 'a and b', context)).toMatchObject({ pass: true });
    expect(await runCheck({ type: 'contains', value: ['a', 'C'] }, 'a and c', context)).toMatchObject({ pass: false, message: 'missing "C"' });
    expect(await runCheck({ type: 'contains', value: 'C', ignoreCase: true }, 'a and c', context)).toMatchObject({ pass: true });
  });

  it('not-contains: fails naming what was found', async () => {
    expect(await runCheck({ type: 'not-contains', value: ['x', 'y'] }, 'only y here', context)).toMatchObject({ pass: false, message: 'must not contain "y"' });
    expect(await runCheck({ type: 'not-contains', value: 'z' }, 'only y here', context)).toMatchObject({ pass: true });
  });

  it('regex: matches with flags, and an invalid pattern fails instead of passing', async () => {
    expect(await runCheck({ type: 'regex', pattern: '^canberra$', flags: 'i' }, 'Canberra', context)).toMatchObject({ pass: true });
    expect(await runCheck({ type: 'regex', pattern: '^Sydney$' }, 'Canberra', context)).toMatchObject({ pass: false });
    const broken = await runCheck({ type: 'regex', pattern: '(' }, 'x', context);
    expect(broken.pass).toBe(false);
    expect(broken.message).toContain('the check could not run');
  });

  it('json-schema: validates JSON (fenced or bare) against a JSON Schema or a zod schema', async () => {
    const schema = { type: 'object', required: ['n'], properties: { n: { type: 'number', minimum: 1 } } };
    expect(await runCheck({ type: 'json-schema', schema }, '```json\n{"n": 2}\n```', context)).toMatchObject({ pass: true });
    const low = await runCheck({ type: 'json-schema', schema }, '{"n": 0}', context);
    expect(low.pass).toBe(false);
    expect(low.message).toMatch(/^schema mismatch: n:/);
    expect(await runCheck({ type: 'json-schema', schema: z.object({ n: z.string() }) }, '{"n": 2}', context)).toMatchObject({ pass: false });
    expect(await runCheck({ type: 'json-schema', schema }, 'no json here', context)).toMatchObject({ pass: false, message: expect.stringContaining('not JSON') });
  });

  it('custom: uses a boolean or a verdict, and a throwing function fails with its error', async () => {
    expect(await runCheck({ type: 'custom', name: 'short', fn: (out) => out.length < 5 }, 'abc', context)).toMatchObject({ name: 'short', pass: true });
    expect(await runCheck({ type: 'custom', name: 'v', fn: () => ({ pass: false, message: 'too long' }) }, 'abc', context)).toMatchObject({ pass: false, message: 'too long' });
    const thrown = await runCheck({ type: 'custom', name: 't', fn: () => { throw new Error('bad parse'); } }, 'abc', context);
    expect(thrown).toMatchObject({ pass: false, message: 'the check could not run: bad parse' });
  });

  it('custom: receives the case context', async () => {
    let seen: unknown;
    await runCheck({ type: 'custom', name: 'ctx', fn: (_out, ctx) => ((seen = ctx), true) }, 'x', context);
    expect(seen).toEqual(context);
  });

  it('llm-judge: passes the goal and output to the judge and reports its reasons and spend', async () => {
    const calls: unknown[] = [];
    const judge: JudgeFn = async (check, input) => {
      calls.push([check.rubric, input]);
      return { pass: false, reasons: ['no amounts'], tokens: 50, costUsd: 0.01 };
    };
    const result = await runCheck({ type: 'llm-judge', rubric: 'gives amounts' }, 'the answer', context, { judge });
    expect(calls).toEqual([['gives amounts', { goal: 'goal', output: 'the answer' }]]);
    expect(result).toMatchObject({ pass: false, message: 'the judge failed it: no amounts', tokens: 50, costUsd: 0.01 });
    expect(await runCheck({ type: 'llm-judge', rubric: 'r' }, 'x', context)).toMatchObject({ pass: false });
  });
});
