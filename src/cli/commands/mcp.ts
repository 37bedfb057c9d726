import { numberFlag, parseCommandArgs, stringList, type FlagSpec } from '../args.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { println, type CliIo } from '../io.js';
import { MODEL_FLAGS, MODEL_FLAGS_HELP, resolveCliModel } from '../model-flags.js';
import { withTaskforce } from '../session.js';
import { importOptional } from '../../util/import-optional.js';

export const MCP_HELP = `Usage: taskforce mcp [options]

Serves Taskforce to agent harnesses (Claude Code, Cursor, ...) as an MCP server: the tools task,
orchestrate, plan and list_agents, on one runtime. Speaks MCP on stdin/stdout (the harness starts
it), or with --http on a loopback port. Log lines go to stderr.

Options:
${MODEL_FLAGS_HELP}
  --agents DIR        also load agent definitions from DIR; repeatable
  --http PORT         serve Streamable HTTP on http://127.0.0.1:PORT/mcp instead of stdio
                      (0 picks a free port; the URL is printed on stderr)
  -h, --help          show this help

Examples:
  claude mcp add taskforce -- npx taskforce mcp
  taskforce mcp --http 3939`;

const FLAGS = { ...MODEL_FLAGS, agents: { type: 'string', multiple: true }, http: { type: 'string' } } as const satisfies FlagSpec;

/** `taskforce mcp`: serves until stdin closes (stdio) or Ctrl-C. */
export async function mcpCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, FLAGS, MCP_HELP);
  if (parsed.help) return (println(io.stdout, MCP_HELP), EXIT.OK);
  const port = numberFlag(parsed, 'http', MCP_HELP, { integer: true, min: 0, max: 65535 });
  const model = await resolveCliModel('mcp', parsed, io, MCP_HELP);
  // stdout is the protocol's channel: everything for people goes to stderr.
  println(io.stderr, model.notice);
  // The SDK loads only here, so other commands never pay for it.
  const { createMcpServer, serveMcpHttp } = await import('../../mcp/index.js');
  await withTaskforce(io, { model, agentsDirs: stringList(parsed, 'agents'), json: true, runtime: { signal: io.interrupt } }, async (taskforce) => {
    const newServer = () => createMcpServer(taskforce, { onCallEnd: (tool, outcome) => println(io.stderr, `taskforce mcp: ${tool} ${outcome}`) });
    if (port !== undefined) {
      const endpoint = await serveMcpHttp(newServer, port);
      println(io.stderr, `taskforce mcp: serving MCP over Streamable HTTP at ${endpoint.url} (Ctrl-C stops)`);
      await untilAborted(io.interrupt);
      await endpoint.close();
      return;
    }
    const { StdioServerTransport } = await importOptional('@modelcontextprotocol/sdk', 'the MCP server', () => import('@modelcontextprotocol/sdk/server/stdio.js'));
    const server = await newServer();
    const transport = new StdioServerTransport();
    // The transport does not notice stdin ending: the harness closing the pipe ends the server.
    const stdinClosed = new Promise<void>((resolve) => {
      process.stdin.once('end', resolve);
      process.stdin.once('close', resolve);
    });
    await server.connect(transport);
    println(io.stderr, 'taskforce mcp: serving MCP on stdio');
    await Promise.race([stdinClosed, untilAborted(io.interrupt)]);
    await server.close();
  });
  return EXIT.OK;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}
