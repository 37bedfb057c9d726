import { describe, expect, it } from 'vitest';
import { groupExact, isShortAnswer, judgeGroupsSchema, normaliseAnswer, optionId } from './answer-options.js';

describe('answer options', () => {
  it('normalises case, emphasis, quotes, whitespace and trailing punctuation', () => {
    expect(normaliseAnswer('**Paris.**')).toBe('paris');
    expect(normaliseAnswer('  "The  answer is   42!" ')).toBe('the answer is 42');
    expect(normaliseAnswer('`yes`')).toBe('yes');
    expect(normaliseAnswer('3.14')).toBe('3.14');
  });

  it('groups exactly equal normalised answers, options in order of first answer', () => {
    const options = groupExact([
      { agent: 'a', text: 'Paris' },
      { agent: 'b', text: 'Lyon' },
      { agent: 'c', text: 'paris.' },
    ]);
    expect(options).toEqual([
      { id: 'A', label: 'paris', members: ['a', 'c'] },
      { id: 'B', label: 'lyon', members: ['b'] },
    ]);
  });

  it('treats multi-line or long answers as free text', () => {
    expect(isShortAnswer('Paris')).toBe(true);
    expect(isShortAnswer('Paris\nbecause it is the capital')).toBe(false);
    expect(isShortAnswer('x'.repeat(81))).toBe(false);
    expect(isShortAnswer('x'.repeat(81), 100)).toBe(true);
  });

  it('names options A..Z then A2..', () => {
    expect([0, 25, 26, 27].map(optionId)).toEqual(['A', 'Z', 'A2', 'B2']);
  });

  it('accepts only judge groups that partition the answers', () => {
    const schema = judgeGroupsSchema(3);
    expect(schema.safeParse({ groups: [{ answers: [1, 3], summary: 's' }, { answers: [2], summary: 't' }] }).success).toBe(true);
    const missing = schema.safeParse({ groups: [{ answers: [1, 2], summary: 's' }] });
    expect(missing.success).toBe(false);
    expect(missing.error!.issues.map((i) => i.message)).toContain('answer 3 is in no group');
    const twice = schema.safeParse({ groups: [{ answers: [1, 2], summary: 's' }, { answers: [2, 3], summary: 't' }] });
    expect(twice.error!.issues.map((i) => i.message)).toContain('answer 2 is in 2 groups; put each answer in exactly one');
    const unknown = schema.safeParse({ groups: [{ answers: [1, 2, 3, 4], summary: 's' }] });
    expect(unknown.error!.issues.map((i) => i.message)).toContain('answer 4 does not exist (answers are 1..3)');
  });
});
