import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import { ConfigError, TaskforceError } from '../errors/taskforce-error.js';
import type { AgentDefinition } from './types.js';
import type { AgentWarning } from './build.js';
import { AgentDefinitionError, AgentLoadError, DuplicateAgentError } from './errors.js';
import { parseAgentMarkdown, type ParsedAgentFile } from './parse-file.js';

/** Options of `loadAgents`. */
export interface LoadAgentsOptions {
  /** Files read at once (default 32): parallel enough for hundreds of files, below fd limits. */
  readonly concurrency?: number;
  /** Called for each warning as well as returning it (e.g. to log as you go). */
  readonly onWarning?: (warning: AgentWarning) => void;
  /**
   * Fail on any invalid file (the error of each, collected as below) instead of skipping it and
   * reporting it in `problems`. Default false.
   */
  readonly strict?: boolean;
  /** Called for each invalid file skipped (lenient mode) as well as returning it. */
  readonly onProblem?: (problem: AgentLoadProblem) => void;
}

/** An agent file skipped because it is invalid: where, which field, and why. */
export interface AgentLoadProblem {
  readonly file: string;
  /** 1-based line of the problem, if known. */
  readonly line?: number;
  /** Dotted path of the offending field (`priority`, `hooks.pre.1`), if one is at fault. */
  readonly field?: string;
  /** The problem alone, without the location prefix. */
  readonly problem: string;
  /** The complete one-line message, `file:line: field "x": problem`. */
  readonly message: string;
  /** The error strict mode would throw for this file. */
  readonly error: AgentDefinitionError;
}

/** What `loadAgents` found. */
export interface LoadAgentsResult {
  /** Valid agents, in path order (directories in the order given). */
  readonly agents: readonly AgentDefinition[];
  /** Files skipped and other non-fatal findings, in path order. */
  readonly warnings: readonly AgentWarning[];
  /** Invalid files skipped, in path order (always empty in strict mode, which throws instead). */
  readonly problems: readonly AgentLoadProblem[];
}

/**
 * Loads every `*.md` agent file under one or more directories (recursively; dot-folders and
 * `node_modules` are skipped), reading files in parallel. A path to a single `.md` file works too.
 *
 * Files without frontmatter are skipped with a `NO_FRONTMATTER` warning (README.md quietly).
 * An invalid file is skipped and reported in `problems` (file, line, field, reason), so one odd file
 * does not block a folder; with `strict: true` invalid files fail the load instead.
 * Errors are collected, then thrown: one as itself (`AgentDefinitionError` or
 * `DuplicateAgentError`), several as an `AgentLoadError` listing each. Two files defining one name
 * are always an error (which one was meant is not for us to guess). A missing directory is a
 * `ConfigError`.
 *
 * @example
 * const { agents, warnings, problems } = await loadAgents(['.claude/agents', 'agents']);
 * for (const p of problems) console.warn(`skipped ${p.message}`);
 * const registry = createAgentRegistry(agents);
 */
export async function loadAgents(dirs: string | readonly string[], options: LoadAgentsOptions = {}): Promise<LoadAgentsResult> {
  const limit = pLimit(Math.max(1, options.concurrency ?? 32));
  const roots = typeof dirs === 'string' ? [dirs] : dirs;

  const filesPerRoot = await Promise.all(roots.map((root) => listAgentFiles(root, limit)));
  const files = filesPerRoot.flat();
  const outcomes = await Promise.all(
    files.map((file) =>
      limit(async (): Promise<ParsedAgentFile | TaskforceError> => {
        const text = await readFile(file, 'utf8');
        try {
          return parseAgentMarkdown(text, file);
        } catch (error) {
          if (TaskforceError.isInstance(error)) return error;
          throw error;
        }
      }),
    ),
  );

  const agents: AgentDefinition[] = [];
  const warnings: AgentWarning[] = [];
  const errors: TaskforceError[] = [];
  const problems: AgentLoadProblem[] = [];
  const firstByName = new Map<string, { file: string; line?: number }>();
  outcomes.forEach((outcome, i) => {
    if (TaskforceError.isInstance(outcome)) {
      if (options.strict === true || !(outcome instanceof AgentDefinitionError)) errors.push(outcome);
      else {
        const problem = problemOf(outcome);
        problems.push(problem);
        options.onProblem?.(problem);
      }
      return;
    }
    for (const w of outcome.warnings) {
      warnings.push(w);
      options.onWarning?.(w);
    }
    const agent = outcome.agent;
    if (!agent) return;
    const here = { file: files[i]!, ...(outcome.nameLine === undefined ? {} : { line: outcome.nameLine }) };
    const earlier = firstByName.get(agent.name);
    if (earlier) {
      errors.push(new DuplicateAgentError(agent.name, earlier, here));
      return;
    }
    firstByName.set(agent.name, here);
    agents.push(agent);
  });

  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new AgentLoadError(errors);
  return { agents, warnings, problems };
}

function problemOf(error: AgentDefinitionError): AgentLoadProblem {
  return {
    file: error.file,
    ...(error.line === undefined ? {} : { line: error.line }),
    ...(error.field === undefined ? {} : { field: error.field }),
    problem: error.problem,
    message: error.message,
    error,
  };
}

/** Every `.md` file under `root`, sorted, so the result does not depend on directory listing order. */
async function listAgentFiles(root: string, limit: LimitFunction): Promise<string[]> {
  const info = await limit(() => stat(root)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new ConfigError(`agents directory "${root}" does not exist`, { cause: error });
    throw error;
  });
  if (info.isFile()) {
    if (!isMarkdown(root)) throw new ConfigError(`agents path "${root}" is a file but not a .md file`);
    return [root];
  }
  const visited = new Set<string>();
  const files: string[] = [];
  await walk(root, limit, visited, files);
  return files.sort();
}

async function walk(dir: string, limit: LimitFunction, visited: Set<string>, files: string[]): Promise<void> {
  // Symlinked folders can loop; the real path identifies a folder already walked.
  const real = await limit(() => realpath(dir));
  if (visited.has(real)) return;
  visited.add(real);
  const entries = await limit(() => readdir(dir, { withFileTypes: true }));
  const subdirs: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await limit(() => stat(path)).catch(() => undefined);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDir) subdirs.push(path);
    else if (isFile && isMarkdown(entry.name)) files.push(path);
  }
  await Promise.all(subdirs.map((sub) => walk(sub, limit, visited, files)));
}

function isMarkdown(name: string): boolean {
  return name.toLowerCase().endsWith('.md');
}
