import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'zod';
import { ConfigError } from '../errors/taskforce-error.js';
import { importOptional } from '../util/import-optional.js';
import type { JsonSchema } from '../model/types.js';
import type { Tool } from '../tools/types.js';
import type { McpServerConfig, McpServers } from './config.js';

/** The clients of a runtime's MCP servers and the tools they offer. */
export interface McpConnections {
  /** Every server's tools as Taskforce tools, named `mcp__<server>__<tool>`. */
  readonly tools: readonly Tool[];
  /** The process ids of the stdio servers, by server name (for tests and diagnostics). */
  readonly pids: ReadonlyMap<string, number>;
  /** Closes every client; stdio servers' processes end. Idempotent. */
  close(): Promise<void>;
}

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
// Validation is the server's: its JSON Schema is what the model sees, and any object goes through.
const ANY_OBJECT = z.record(z.string(), z.unknown());

/**
 * Connects to each server of `mcpServers`, lists its tools and wraps them as Taskforce tools. A server
 * that cannot be started or reached is a `ConfigError` naming it and its command (or URL); servers
 * already connected are closed again before it is thrown.
 */
export async function connectMcpServers(servers: McpServers, options: { readonly clientName?: string; readonly version?: string } = {}): Promise<McpConnections> {
  const { Client } = await importOptional('@modelcontextprotocol/sdk', 'MCP servers (mcpServers)', () => import('@modelcontextprotocol/sdk/client/index.js'));
  const clients: { readonly name: string; readonly client: Client }[] = [];
  const tools: Tool[] = [];
  const pids = new Map<string, number>();
  const closeAll = async () => {
    await Promise.allSettled(clients.splice(0).map(({ client }) => client.close()));
  };
  try {
    for (const [name, config] of Object.entries(servers)) {
      const { transport, stderr } = await transportFor(config);
      const client = new Client({ name: options.clientName ?? 'taskforce', version: options.version ?? '0.0.0' });
      try {
        await client.connect(transport);
      } catch (error) {
        await client.close().catch(() => undefined);
        const tail = stderr().trim();
        throw new ConfigError(
          `MCP server "${name}" (${describe(config)}) failed to start: ${error instanceof Error ? error.message : String(error)}${tail ? `\n${tail}` : ''}`,
          { cause: error },
        );
      }
      clients.push({ name, client });
      const pid = (transport as { pid?: number | null }).pid;
      if (typeof pid === 'number') pids.set(name, pid);
      for (const tool of await listAllTools(client, name, config)) tools.push(wrapTool(client, name, tool));
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { tools, pids, close: closeAll };
}

interface ListedTool {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: { readonly type: 'object'; readonly [key: string]: unknown };
  readonly annotations?: { readonly readOnlyHint?: boolean };
}

async function listAllTools(client: Client, server: string, config: McpServerConfig): Promise<ListedTool[]> {
  const tools: ListedTool[] = [];
  let cursor: string | undefined;
  try {
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined);
      tools.push(...(page.tools as ListedTool[]));
      cursor = page.nextCursor;
    } while (cursor);
  } catch (error) {
    throw new ConfigError(`MCP server "${server}" (${describe(config)}) could not list its tools: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return tools;
}

/** The server's tool as a Taskforce tool: side-effecting unless the server marks it `readOnlyHint`. */
function wrapTool(client: Client, server: string, listed: ListedTool): Tool<Record<string, unknown>, string> {
  const name = `mcp__${server}__${listed.name}`.replace(/[^A-Za-z0-9_-]/g, '_');
  if (!TOOL_NAME.test(name))
    throw new ConfigError(`MCP server "${server}": tool "${listed.name}" gives the name "${name}", longer than the 64 characters providers accept`);
  return {
    name,
    description: listed.description?.trim() || `Tool "${listed.name}" of the MCP server "${server}".`,
    input: ANY_OBJECT,
    inputSchema: listed.inputSchema as JsonSchema,
    ...(listed.annotations?.readOnlyHint === true ? {} : { sideEffects: true }),
    async execute(input, context) {
      // The tool loop's signal carries its timeout and the run's cancellation; its own timeout governs.
      const result = await client.callTool({ name: listed.name, arguments: input }, undefined, {
        signal: context.signal,
        timeout: 2_147_483_647,
      });
      const text = contentText(result);
      if (result.isError === true) throw new Error(text || `MCP tool "${listed.name}" returned an error`);
      return text;
    },
  };
}

/** The text of a tool result; non-text parts are named, structured content is sent as JSON. */
function contentText(result: Record<string, unknown>): string {
  const content = Array.isArray(result.content) ? (result.content as { type: string; text?: string; mimeType?: string; resource?: { uri?: string; text?: string } }[]) : [];
  const parts = content.map((part) => {
    if (part.type === 'text') return part.text ?? '';
    if (part.type === 'resource' && typeof part.resource?.text === 'string') return part.resource.text;
    return `[${part.type}${part.mimeType ? ` ${part.mimeType}` : ''}${part.resource?.uri ? ` ${part.resource.uri}` : ''}]`;
  });
  if (parts.length === 0 && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  return parts.join('\n');
}

async function transportFor(config: McpServerConfig): Promise<{ transport: Transport; stderr: () => string }> {
  if (config.type === 'http') {
    const { StreamableHTTPClientTransport } = await importOptional('@modelcontextprotocol/sdk', 'MCP servers (mcpServers)', () => import('@modelcontextprotocol/sdk/client/streamableHttp.js'));
    const transport = new StreamableHTTPClientTransport(new URL(config.url), config.headers ? { requestInit: { headers: config.headers } } : undefined);
    return { transport, stderr: () => '' };
  }
  const { StdioClientTransport } = await importOptional('@modelcontextprotocol/sdk', 'MCP servers (mcpServers)', () => import('@modelcontextprotocol/sdk/client/stdio.js'));
  const transport = new StdioClientTransport({
    command: config.command,
    ...(config.args ? { args: config.args } : {}),
    ...(config.env ? { env: config.env } : {}),
    ...(config.cwd ? { cwd: config.cwd } : {}),
    stderr: 'pipe',
  });
  // Kept (the last few KB) so a server that fails to start can say why; drained so it never blocks.
  let tail = '';
  transport.stderr?.on('data', (chunk: Buffer | string) => {
    tail = (tail + chunk.toString()).slice(-2000);
  });
  return { transport, stderr: () => tail };
}

function describe(config: McpServerConfig): string {
  return config.type === 'http' ? config.url : [config.command, ...(config.args ?? [])].join(' ');
}
