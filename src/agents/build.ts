import type { AgentDefinition } from './types.js';
import { AgentDefinitionError } from './errors.js';
import { AgentFields, describeValue, KNOWN_AGENT_FIELDS, nameList } from './schema.js';

/** Something worth telling the user about a definition that still loaded (or was skipped on purpose). */
export interface AgentWarning {
  /** `NO_FRONTMATTER`: a `.md` file skipped as not an agent. `HOOKS_NOT_RUN`: hook keys other than
   * `pre`/`post`, kept in `metadata.hooks`. `EMPTY_PROMPT`: the body is empty. `YAML_WARNING`: from the parser.
   * `PRIORITY_ALIAS`: a priority Taskforce reads as another (`normal` as `medium`). */
  readonly code: 'NO_FRONTMATTER' | 'HOOKS_NOT_RUN' | 'EMPTY_PROMPT' | 'YAML_WARNING' | 'PRIORITY_ALIAS';
  readonly file: string;
  readonly line?: number;
  /** Complete message, starting with `file:line:`. */
  readonly message: string;
}

/** Where the raw fields came from, to point errors at a line. */
export interface FieldSource {
  /** A file path, or `"code"`. */
  readonly file: string;
  /** File line of a field path, if known. */
  readonly lineOf?: (path: readonly PropertyKey[]) => number | undefined;
  /** Line used when a field is missing or cannot be located (the opening `---`). */
  readonly fallbackLine?: number;
}

const KNOWN = new Set<string>(KNOWN_AGENT_FIELDS);
const HOOK_KEYS = new Set(['pre', 'post']);

/** Priorities other tools write, read as one of ours. */
const PRIORITY_ALIASES: Readonly<Record<string, 'medium'>> = { normal: 'medium' };

/**
 * Validates raw frontmatter fields plus a system prompt into an `AgentDefinition`. Unknown fields go
 * to `metadata`; `null` optional fields count as absent (`color:` with no value is common).
 * Throws `AgentDefinitionError` for the first invalid field in line order.
 *
 * Shapes other harnesses write are understood: claude-flow's `capabilities:` mapping
 * (`allowed_tools` narrows the tools, `restricted_tools` adds denied tools, the rest goes to
 * `metadata.capabilities`), `priority: normal` (read as `medium`, with a `PRIORITY_ALIAS` warning),
 * and hooks given as lists of commands.
 */
export function buildAgent(
  raw: unknown,
  systemPrompt: string,
  source: FieldSource,
): { agent: AgentDefinition; warnings: AgentWarning[] } {
  const warnings: AgentWarning[] = [];
  const agentName = isPlainObject(raw) && typeof raw.name === 'string' ? raw.name : undefined;
  const fail = (path: readonly PropertyKey[], problem: string): never => {
    const line = path.length > 0 ? (source.lineOf?.(path) ?? source.fallbackLine) : source.fallbackLine;
    throw new AgentDefinitionError({
      file: source.file,
      ...(line === undefined ? {} : { line }),
      ...(path.length > 0 ? { field: path.map(String).join('.') } : {}),
      problem,
      ...(agentName === undefined ? {} : { agentName }),
    });
  };

  if (!isPlainObject(raw)) {
    return fail([], `frontmatter must be a mapping of fields (name, description, ...), got ${describeValue(raw)}`);
  }

  const known: Record<string, unknown> = {};
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!KNOWN.has(key)) metadata[key] = value;
    else if (value !== null || key === 'name' || key === 'description') known[key] = value;
  }

  if (isPlainObject(known.hooks)) {
    const runnable: Record<string, unknown> = {};
    const other: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(known.hooks)) (HOOK_KEYS.has(key) ? runnable : other)[key] = value;
    if (Object.keys(other).length > 0) {
      metadata.hooks = other;
      const line = source.lineOf?.(['hooks']) ?? source.fallbackLine;
      warnings.push(
        warning(
          'HOOKS_NOT_RUN',
          source.file,
          line,
          `hooks ${Object.keys(other).map((k) => `"${k}"`).join(', ')}: kept in metadata.hooks, not run (Taskforce runs only "pre" and "post")`,
        ),
      );
    }
    known.hooks = runnable;
  }

  // claude-flow: `capabilities: { allowed_tools, restricted_tools, max_file_operations, ... }`.
  let allowedTools: string[] | undefined;
  let restrictedTools: string[] | undefined;
  if (isPlainObject(known.capabilities)) {
    const { allowed_tools: allowed, restricted_tools: restricted, ...rest } = known.capabilities;
    delete known.capabilities;
    if (Object.keys(rest).length > 0) metadata.capabilities = rest;
    const names = (value: unknown, key: string): string[] | undefined => {
      if (value === undefined || value === null) return undefined;
      const parsed = nameList.safeParse(value);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0]!;
      return fail(['capabilities', key, ...issue.path], issue.message);
    };
    allowedTools = names(allowed, 'allowed_tools');
    restrictedTools = names(restricted, 'restricted_tools');
  }

  if (typeof known.priority === 'string') {
    const alias = PRIORITY_ALIASES[known.priority.trim().toLowerCase()];
    if (alias !== undefined) {
      warnings.push(
        warning('PRIORITY_ALIAS', source.file, source.lineOf?.(['priority']) ?? source.fallbackLine, `priority "${known.priority.trim()}" read as "${alias}"`),
      );
      known.priority = alias;
    }
  }

  const parsed = AgentFields.safeParse({ ...known, systemPrompt });
  if (!parsed.success) {
    const located = parsed.error.issues.map((issue) => ({
      issue,
      line: source.lineOf?.(issue.path) ?? source.fallbackLine ?? 0,
    }));
    located.sort((a, b) => a.line - b.line);
    const first = located[0]!.issue;
    return fail(first.path.length > 0 ? first.path : ['(unknown)'], first.message);
  }

  const f = parsed.data;
  // Both lists given: only tools both allow (a `tools` entry grants side-effecting tools, so never widen).
  const tools = allowedTools === undefined ? f.tools : f.tools === undefined ? allowedTools : f.tools.filter((t) => allowedTools.includes(t));
  const disallowedTools =
    restrictedTools === undefined ? f.disallowedTools : [...new Set([...(f.disallowedTools ?? []), ...restrictedTools])];
  const agent: AgentDefinition = Object.freeze({
    name: f.name,
    description: f.description,
    systemPrompt: f.systemPrompt,
    capabilities: Object.freeze(f.capabilities ?? []),
    ...(f.type === undefined ? {} : { type: f.type }),
    ...(f.model === undefined ? {} : { model: f.model }),
    ...(tools === undefined ? {} : { tools: Object.freeze(tools) }),
    ...(disallowedTools === undefined ? {} : { disallowedTools: Object.freeze(disallowedTools) }),
    ...(f.maxTurns === undefined ? {} : { maxTurns: f.maxTurns }),
    ...(f.priority === undefined ? {} : { priority: f.priority }),
    ...(f.color === undefined ? {} : { color: f.color }),
    ...(f.approval === undefined || f.approval === false ? {} : { approval: f.approval }),
    ...(f.hooks === undefined || (f.hooks.pre === undefined && f.hooks.post === undefined)
      ? {}
      : { hooks: Object.freeze({ ...f.hooks }) }),
    metadata: Object.freeze(metadata),
    source: source.file,
  });
  return { agent, warnings };
}

/** Builds a warning whose message starts with `file:line:`. */
export function warning(code: AgentWarning['code'], file: string, line: number | undefined, text: string): AgentWarning {
  return {
    code,
    file,
    ...(line === undefined ? {} : { line }),
    message: `${line === undefined ? file : `${file}:${line}`}: ${text}`,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
