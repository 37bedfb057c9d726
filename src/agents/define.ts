import type { AgentDefinition, AgentPriority } from './types.js';
import { buildAgent } from './build.js';

/** The fields of `defineAgent`: the frontmatter fields plus the system prompt. */
export interface AgentInput {
  readonly name: string;
  readonly description: string;
  readonly systemPrompt: string;
  /** Normalised (`Code_Review` → `code-review`); a comma-separated string works too. */
  readonly capabilities?: readonly string[] | string;
  readonly type?: string;
  /** Model spec or alias; `inherit` means the runtime's worker model (same as leaving it out). */
  readonly model?: string;
  /** Tool names, as a list or a comma-separated string. */
  readonly tools?: readonly string[] | string;
  readonly disallowedTools?: readonly string[] | string;
  readonly maxTurns?: number;
  readonly priority?: AgentPriority;
  readonly color?: string;
  readonly hooks?: { readonly pre?: string | readonly string[]; readonly post?: string | readonly string[] };
  readonly approval?: boolean | { readonly timeoutMs?: number; readonly default?: 'approve' | 'reject' };
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Recorded as `source` (default `"code"`). */
  readonly source?: string;
}

/**
 * Builds an agent in code with the same validation as a file; an invalid field throws
 * `AgentDefinitionError` naming the agent and the field.
 *
 * @example
 * const sqlExpert = defineAgent({
 *   name: 'sql-expert',
 *   description: 'Writes and optimises SQL queries',
 *   capabilities: ['code', 'data-analysis'],
 *   systemPrompt: 'You are a database engineer. Answer with one SQL query and a short explanation.',
 * });
 */
export function defineAgent(input: AgentInput): AgentDefinition {
  const { metadata, source, systemPrompt, ...fields } = input;
  // Untyped callers (JS, parsed config) may pass extra fields; like in a file, they land in metadata.
  const { agent } = buildAgent(fields, typeof systemPrompt === 'string' ? systemPrompt.trim() : systemPrompt, {
    file: source ?? 'code',
  });
  if (metadata === undefined) return agent;
  return Object.freeze({ ...agent, metadata: Object.freeze({ ...metadata, ...agent.metadata }) });
}
