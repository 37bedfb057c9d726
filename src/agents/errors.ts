import { TaskforceError } from '../errors/taskforce-error.js';

/** Where a definition came from: `file` is a path, or `"code"` for `defineAgent`. */
export interface AgentSourceLocation {
  readonly file: string;
  /** 1-based line in the file; absent for agents defined in code. */
  readonly line?: number;
}

/**
 * An agent definition is invalid: bad YAML, an unclosed frontmatter block, or a field that fails
 * validation. The message reads `file:line: field "x": problem`, the format editors and CI logs link.
 */
export class AgentDefinitionError extends TaskforceError {
  readonly file: string;
  readonly line: number | undefined;
  /** Dotted path of the offending field (`priority`, `hooks.pre`, `capabilities.2`), if one is at fault. */
  readonly field: string | undefined;
  /** The problem alone, without the location prefix. */
  readonly problem: string;

  constructor(args: { file: string; line?: number; field?: string; problem: string; agentName?: string; cause?: unknown }) {
    super('AGENT_DEFINITION_INVALID', formatLocated(args), { cause: args.cause });
    this.file = args.file;
    this.line = args.line;
    this.field = args.field;
    this.problem = args.problem;
  }
}

/** Two definitions share one name. The message names both sources. */
export class DuplicateAgentError extends TaskforceError {
  readonly agentName: string;
  readonly sources: readonly [AgentSourceLocation, AgentSourceLocation];

  constructor(agentName: string, first: AgentSourceLocation, second: AgentSourceLocation) {
    super(
      'AGENT_DUPLICATE_NAME',
      `agent "${agentName}" is defined twice: ${formatLocation(first)} and ${formatLocation(second)}`,
    );
    this.agentName = agentName;
    this.sources = [first, second];
  }
}

/** Several agent files were invalid at once; `errors` holds each one, in path order. */
export class AgentLoadError extends TaskforceError {
  readonly errors: readonly TaskforceError[];

  constructor(errors: readonly TaskforceError[]) {
    super('AGENT_LOAD_FAILED', `${errors.length} agent definitions are invalid:\n${errors.map((e) => `  ${e.message}`).join('\n')}`);
    this.errors = errors;
  }
}

/** A name was asked for that the registry does not hold; lists the closest names. */
export class UnknownAgentError extends TaskforceError {
  readonly agentName: string;
  /** Known names closest to the one asked for, best first. */
  readonly suggestions: readonly string[];
  readonly known: readonly string[];

  constructor(agentName: string, suggestions: readonly string[], known: readonly string[]) {
    super('AGENT_UNKNOWN', unknownMessage(agentName, suggestions, known));
    this.agentName = agentName;
    this.suggestions = suggestions;
    this.known = known;
  }
}

/** Up to this many known names are listed in full in an `UnknownAgentError`. */
const LIST_ALL_UP_TO = 15;

function unknownMessage(name: string, suggestions: readonly string[], known: readonly string[]): string {
  const parts = [`unknown agent "${name}".`];
  if (suggestions.length > 0) parts.push(`Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`);
  if (known.length === 0) parts.push('No agents are registered.');
  else if (known.length <= LIST_ALL_UP_TO) parts.push(`Known agents: ${known.join(', ')}.`);
  else parts.push(`${known.length} agents are registered.`);
  return parts.join(' ');
}

function formatLocation(location: AgentSourceLocation): string {
  return location.line === undefined ? location.file : `${location.file}:${location.line}`;
}

function formatLocated(args: { file: string; line?: number; field?: string; problem: string; agentName?: string }): string {
  const where = args.file !== 'code' ? formatLocation(args) : args.agentName ? `defineAgent("${args.agentName}")` : 'defineAgent';
  return args.field === undefined ? `${where}: ${args.problem}` : `${where}: field "${args.field}": ${args.problem}`;
}
