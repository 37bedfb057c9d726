import type { z } from 'zod';

/**
 * A zod issue's message, with a union's alternatives spelled out: zod says only "Invalid input" for a
 * value that matches no branch, which tells a user nothing about what would have been accepted.
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue.message;
  const expected = new Set<string>();
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first) continue;
    expected.add(first.code === 'invalid_type' ? first.expected : first.message.replace(/^Invalid input: /, ''));
  }
  const received = (issue.errors[0]?.[0]?.message.match(/received (\w+)$/) ?? [])[1];
  return `Invalid input: expected ${[...expected].join(' or ')}${received ? `, received ${received}` : ''}`;
}
