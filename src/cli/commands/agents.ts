import { builtinAgents } from '../../agents/builtin.js';
import { loadAgents } from '../../agents/load.js';
import { withBuiltins } from '../../agents/override.js';
import { createAgentRegistry } from '../../agents/registry.js';
import type { AgentDefinition, AgentRegistry } from '../../agents/types.js';
import { booleanFlag, parseCommandArgs, requirePositionals, stringList, type FlagSpec } from '../args.js';
import { UsageError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { fit } from '../format.js';
import { cliPath, println, type CliIo } from '../io.js';

export const AGENTS_HELP = `Usage: taskforce agents list [options]
       taskforce agents show [options] <name>

Lists the agents a run can use (the built-in library plus those in --agents folders; yours
replace built-ins of the same name, with a note on stderr), or shows one agent's definition and
system prompt. An invalid agent file is skipped with one line on stderr, unless --strict.
Needs no model.

Options:
  --agents DIR        also load agent definitions from DIR; repeatable
  --strict            fail (exit 2) on any invalid agent file instead of skipping it
  --no-builtin        leave out the built-in agents
  --json              print JSON on stdout
  -h, --help          show this help

Examples:
  taskforce agents list
  taskforce agents show researcher
  taskforce agents list --agents ./my-agents --no-builtin`;

const FLAGS = {
  agents: { type: 'string', multiple: true },
  strict: { type: 'boolean' },
  'no-builtin': { type: 'boolean' },
  json: { type: 'boolean' },
} as const satisfies FlagSpec;

/** `taskforce agents list|show`. */
export async function agentsCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, FLAGS, AGENTS_HELP);
  if (parsed.help) return (println(io.stdout, AGENTS_HELP), EXIT.OK);
  const [sub, ...rest] = parsed.positionals;
  if (sub === undefined) throw new UsageError('missing subcommand: list or show', AGENTS_HELP);
  const json = booleanFlag(parsed, 'json');
  const registry = await registryOf(stringList(parsed, 'agents'), { builtin: !booleanFlag(parsed, 'no-builtin'), strict: booleanFlag(parsed, 'strict') }, io);
  if (sub === 'list') {
    if (rest.length > 0) throw new UsageError(`"agents list" takes no argument, got ${JSON.stringify(rest[0])}`, AGENTS_HELP);
    const agents = registry.list();
    if (json) println(io.stdout, JSON.stringify(agents.map(summary), null, 2));
    else {
      // On a terminal, one line per agent (cut to its width); in a pipe, the whole description.
      const width = io.stdout.isTTY && io.stdout.columns ? io.stdout.columns - 1 : Infinity;
      const line = (text: string) => println(io.stdout, text.length > width ? `${text.slice(0, width - 1)}…` : text);
      line(`${fit('name', 14)} ${fit('capabilities', 40)} description`);
      for (const agent of agents) line(`${fit(agent.name, 14)} ${fit(agent.capabilities.join(', '), 40)} ${agent.description}`);
    }
    return EXIT.OK;
  }
  if (sub === 'show') {
    const [name] = requirePositionals({ ...parsed, positionals: rest }, ['name'], AGENTS_HELP) as [string];
    // An unknown name is an UnknownAgentError listing the closest names.
    const agent = registry.require(name);
    if (json) println(io.stdout, JSON.stringify({ ...summary(agent), systemPrompt: agent.systemPrompt, metadata: agent.metadata }, null, 2));
    else io.stdout.write(formatAgent(agent));
    return EXIT.OK;
  }
  throw new UsageError(`unknown subcommand "${sub}": use list or show`, AGENTS_HELP);
}

async function registryOf(dirs: readonly string[], options: { builtin: boolean; strict: boolean }, io: CliIo): Promise<AgentRegistry> {
  const own =
    dirs.length > 0
      ? (
          await loadAgents(
            dirs.map((dir) => cliPath(io, dir)),
            {
              strict: options.strict,
              onWarning: (w) => println(io.stderr, `warning: ${w.message}`),
              // One line per skipped file, so a folder's problems can be read (or grepped) at a glance.
              onProblem: (p) => println(io.stderr, `skipped: ${p.message.replace(/\s*\n\s*/g, ' ')}`),
            },
          )
        ).agents
      : [];
  const merged = withBuiltins(own, options.builtin ? await builtinAgents() : []);
  for (const override of merged.overrides) println(io.stderr, `note: ${override.message}`);
  return createAgentRegistry(merged.agents);
}

function summary(agent: AgentDefinition): Record<string, unknown> {
  return {
    name: agent.name,
    description: agent.description,
    capabilities: agent.capabilities,
    ...(agent.model ? { model: agent.model } : {}),
    ...(agent.tools ? { tools: agent.tools } : {}),
    ...(agent.priority ? { priority: agent.priority } : {}),
    ...(agent.maxTurns !== undefined ? { maxTurns: agent.maxTurns } : {}),
    source: agent.source,
  };
}

function formatAgent(agent: AgentDefinition): string {
  const fields = summary(agent);
  const lines = Object.entries(fields).map(([k, v]) => `${fit(`${k}:`, 14)} ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  return `${lines.join('\n')}\n\n${agent.systemPrompt.trim()}\n`;
}
