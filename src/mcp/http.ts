import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { importOptional } from '../util/import-optional.js';

/** A Streamable HTTP MCP endpoint on loopback. */
export interface McpHttpEndpoint {
  /** `http://127.0.0.1:PORT/mcp`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests and closes the connections. */
  close(): Promise<void>;
}

/**
 * Serves MCP over Streamable HTTP on `127.0.0.1:port` (0 picks a free port), path `/mcp`, with
 * sessions: each client's `initialize` gets its own server from `newServer` (they share the taskforce
 * behind them) and its own transport, so a cancellation reaches the call it names. Hosts other than
 * loopback are refused (DNS rebinding protection).
 */
export async function serveMcpHttp(newServer: () => Promise<McpServer>, port: number): Promise<McpHttpEndpoint> {
  const { StreamableHTTPServerTransport } = await importOptional('@modelcontextprotocol/sdk', 'the MCP server', () => import('@modelcontextprotocol/sdk/server/streamableHttp.js'));
  type Transport = InstanceType<typeof StreamableHTTPServerTransport>;
  const sessions = new Map<string, Transport>();
  let bound = port;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/mcp')) return void res.writeHead(404).end('not found: the MCP endpoint is /mcp\n');
    const id = req.headers['mcp-session-id'];
    const known = typeof id === 'string' ? sessions.get(id) : undefined;
    if (typeof id === 'string' && !known) return void res.writeHead(404).end(`unknown MCP session ${id}\n`);
    if (known) return known.handleRequest(req, res);
    const transport: Transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => void sessions.set(sessionId, transport),
      enableDnsRebindingProtection: true,
      allowedHosts: [`127.0.0.1:${bound}`, `localhost:${bound}`],
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await (await newServer()).connect(transport);
    await transport.handleRequest(req, res);
  };
  const http: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: error instanceof Error ? error.message : String(error) }, id: null }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => resolve());
  });
  bound = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/mcp`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        for (const transport of sessions.values()) void transport.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
