import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueMessage } from './zod-issues.js';

const issueOf = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error!.issues[0]!;

describe('issueMessage', () => {
  it('spells out what a union would have accepted instead of zod’s bare "Invalid input"', () => {
    const value = z.union([z.string(), z.array(z.string()).min(1)]);
    expect(issueMessage(issueOf(value, 3))).toBe('Invalid input: expected string or array, received number');
  });

  it('keeps the message of every other issue as zod wrote it', () => {
    expect(issueMessage(issueOf(z.number(), 'x'))).toBe('Invalid input: expected number, received string');
    expect(issueMessage(issueOf(z.enum(['a', 'b']), 'c'))).toBe('Invalid option: expected one of "a"|"b"');
  });
});
