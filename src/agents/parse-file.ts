import { basename } from 'node:path';
import type { AgentDefinition } from './types.js';
import { buildAgent, warning, type AgentWarning } from './build.js';
import { parseFrontmatter } from './frontmatter.js';

/** The outcome of reading one markdown file: an agent, or nothing (skipped), plus warnings. */
export interface ParsedAgentFile {
  readonly agent: AgentDefinition | undefined;
  readonly warnings: readonly AgentWarning[];
  /** File line of the `name` field, to point at both files of a duplicate. */
  readonly nameLine?: number;
}

/**
 * Parses one agent file's text: YAML frontmatter (the fields) and markdown body (the system prompt).
 * A file without frontmatter is not an agent: it yields a `NO_FRONTMATTER` warning (none for a
 * README.md, which agent folders often hold). Invalid frontmatter throws `AgentDefinitionError`
 * naming `file`, the line and the field.
 *
 * @example
 * const { agent } = parseAgentMarkdown('---\nname: coder\ndescription: Writes code\n---\nYou write code.', 'coder.md');
 */
export function parseAgentMarkdown(text: string, file: string): ParsedAgentFile {
  const parsed = parseFrontmatter(text, file);
  if (!parsed) {
    const quiet = basename(file).toLowerCase() === 'readme.md';
    return {
      agent: undefined,
      warnings: quiet ? [] : [warning('NO_FRONTMATTER', file, 1, 'skipped: no YAML frontmatter (a "---" block at the top), so not an agent')],
    };
  }

  const systemPrompt = parsed.body.trim();
  const { agent, warnings } = buildAgent(parsed.data, systemPrompt, {
    file,
    lineOf: parsed.lineOf,
    fallbackLine: parsed.openLine,
  });
  const all: AgentWarning[] = parsed.warnings.map((w) => warning('YAML_WARNING', file, w.line, w.message));
  all.push(...warnings);
  if (systemPrompt === '') all.push(warning('EMPTY_PROMPT', file, parsed.bodyLine, `agent "${agent.name}" has an empty body, so no system prompt`));
  const nameLine = parsed.lineOf(['name']);
  return { agent, warnings: all, ...(nameLine === undefined ? {} : { nameLine }) };
}
