import { z } from 'zod';
import type { AgentPriority } from './types.js';
import { normalizeCapabilities } from './capabilities.js';

/** Frontmatter fields Taskforce understands; every other field goes to `metadata`. */
export const KNOWN_AGENT_FIELDS = [
  'name',
  'description',
  'capabilities',
  'type',
  'model',
  'tools',
  'disallowedTools',
  'maxTurns',
  'priority',
  'color',
  'hooks',
  'approval',
] as const;

const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const satisfies readonly AgentPriority[];

/** Renders a YAML/JS value the way a user wrote it, for "got ..." in messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

const expected = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `expected ${what}, got ${describeValue(issue.input)}`;

const singleLine = (what: string) =>
  z
    .string({ error: expected(what) })
    .trim()
    .min(1, { error: 'must not be empty' })
    .refine((s) => !s.includes('\n'), { error: 'must be a single line' });

const nonEmptyText = (what: string) => z.string({ error: expected(what) }).trim().min(1, { error: 'must not be empty' });

/**
 * Splits a comma-separated list (`Read, Grep, Bash(git diff:*)`), leaving commas inside
 * parentheses alone: Claude Code tool patterns may contain them.
 */
export function splitCommaList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  items.push(current);
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** A list of names, written as a YAML list or as one comma-separated string. */
export const nameList = z.preprocess(
  (value) => (typeof value === 'string' ? splitCommaList(value) : value),
  z.array(singleLine('a name'), { error: expected('a list or a comma-separated string') }),
);

/**
 * One hook: a shell command string, or a list of them (claude-flow writes `pre:` as a list), run in
 * order. A string stays a string; a list becomes a frozen list of trimmed commands.
 */
const hookCommands = z.unknown().transform((value, ctx): string | readonly string[] => {
  if (typeof value === 'string') {
    const command = value.trim();
    if (command === '') ctx.addIssue({ code: 'custom', message: 'must not be empty', input: value });
    return command;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) ctx.addIssue({ code: 'custom', message: 'must list at least one command', input: value });
    value.forEach((item, i) => {
      if (typeof item !== 'string') ctx.addIssue({ code: 'custom', path: [i], message: `expected a shell command string, got ${describeValue(item)}`, input: item });
      else if (item.trim() === '') ctx.addIssue({ code: 'custom', path: [i], message: 'must not be empty', input: item });
    });
    return Object.freeze(value.map((item) => (typeof item === 'string' ? item.trim() : '')));
  }
  ctx.addIssue({ code: 'custom', message: `expected a shell command string or a list of them, got ${describeValue(value)}`, input: value });
  return z.NEVER;
});

const hooksSchema = z.object(
  {
    pre: hookCommands.optional(),
    post: hookCommands.optional(),
  },
  { error: expected('a mapping with "pre" and/or "post"') },
);

/** Validation of the known frontmatter fields (unknown ones never reach it). */
export const AgentFields = z.object({
  name: singleLine('a non-empty string'),
  description: nonEmptyText('a non-empty string'),
  capabilities: nameList.transform((caps) => normalizeCapabilities(caps)).optional(),
  type: singleLine('a string').optional(),
  // `inherit` (Claude Code) means "the caller's model", which for us is the runtime's worker model: absent.
  model: singleLine('a model name or alias')
    .transform((m) => (m === 'inherit' ? undefined : m))
    .optional(),
  tools: nameList.optional(),
  disallowedTools: nameList.optional(),
  maxTurns: z
    .number({ error: expected('a positive integer') })
    .int({ error: expected('a positive integer') })
    .positive({ error: expected('a positive integer') })
    .optional(),
  priority: z
    .preprocess(
      (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
      z.enum(PRIORITIES, { error: expected(`one of ${PRIORITIES.join('|')}`) }),
    )
    .optional(),
  color: singleLine('a color name').optional(),
  hooks: hooksSchema.optional(),
  // `approval: true` (or `required`): each task this agent takes waits for a person's go-ahead in a durable run.
  approval: z
    .union(
      [
        z.boolean(),
        z.literal('required').transform(() => true as const),
        z.strictObject({
          timeoutMs: z.number().int().positive().optional(),
          default: z.enum(['approve', 'reject']).optional(),
        }),
      ],
      { error: expected('true, false, "required" or { timeoutMs, default: approve|reject }') },
    )
    .optional(),
  systemPrompt: z.string({ error: expected('a string') }),
});
/** The validated known fields, as `AgentFields` outputs them. */
export type AgentFields = z.infer<typeof AgentFields>;
