import { z } from 'zod';
import { ConfigError } from '../errors/taskforce-error.js';

/** A server started as a child process and spoken to over stdio, as in `.mcp.json`. */
export const McpStdioServer = z.object({
  type: z.literal('stdio').optional(),
  command: z.string().min(1),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().optional(),
});
export type McpStdioServer = z.infer<typeof McpStdioServer>;

/** A server reached over Streamable HTTP, as in `.mcp.json`. */
export const McpHttpServer = z.object({
  type: z.literal('http'),
  url: z.string().url(),
  headers: z.record(z.string(), z.string()).optional(),
});
export type McpHttpServer = z.infer<typeof McpHttpServer>;

/** One entry of `mcpServers`. */
export const McpServerConfig = z.union([McpStdioServer, McpHttpServer]);
export type McpServerConfig = z.infer<typeof McpServerConfig>;

/** `mcpServers` as harnesses write it in `.mcp.json`: server name → how to reach it. */
export type McpServers = Readonly<Record<string, McpServerConfig>>;

// The server name becomes part of tool names (`mcp__<server>__<tool>`), which providers limit to this set.
const SERVER_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Checks `mcpServers` (the object itself, or a whole `.mcp.json` with an `mcpServers` key) and returns
 * it typed. `where` names the source in errors (`"mcpServers"` or a file path).
 */
export function parseMcpServers(value: unknown, where = 'mcpServers'): McpServers {
  const servers =
    typeof value === 'object' && value !== null && 'mcpServers' in value ? (value as { mcpServers: unknown }).mcpServers : value;
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers))
    throw new ConfigError(`${where} must be an object of server name → { command, args, env } or { type: "http", url }`);
  const out: Record<string, McpServerConfig> = {};
  for (const [name, entry] of Object.entries(servers)) {
    if (!SERVER_NAME.test(name))
      throw new ConfigError(`${where}: server name ${JSON.stringify(name)} is invalid: use letters, digits, "_" or "-"`);
    const parsed = McpServerConfig.safeParse(entry);
    if (!parsed.success)
      throw new ConfigError(
        `${where}.${name} must be { "command": "...", "args": [...], "env": {...} } or { "type": "http", "url": "..." }: ${parsed.error.issues
          .map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`)
          .join('; ')}`,
      );
    out[name] = parsed.data;
  }
  return out;
}

/**
 * Reads `mcpServers` from a `.mcp.json`-style file (`{ "mcpServers": { … } }`, or the bare object). A
 * missing file, bad JSON or a bad entry is a `ConfigError` naming the file.
 */
export async function loadMcpConfig(path: string): Promise<McpServers> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the MCP config ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the MCP config ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return parseMcpServers(value, path);
}
