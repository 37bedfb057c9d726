import { ConfigError } from '../errors/taskforce-error.js';

/**
 * Imports an optional peer dependency on first use, so that installing and importing Taskforce does
 * not pull packages a user never needs. A missing package is a `ConfigError` that names it and the
 * command that installs it; any other failure (including a missing package *inside* it) is rethrown.
 *
 * @example
 * const { McpServer } = await importOptional('@modelcontextprotocol/sdk', 'the MCP server', () => import('@modelcontextprotocol/sdk/server/mcp.js'));
 */
export async function importOptional<T>(packageName: string, neededBy: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    if (missing && String((error as Error).message).includes(packageName))
      throw new ConfigError(`${neededBy} needs the npm package "${packageName}", which is not installed: npm install ${packageName}`, { cause: error });
    throw error;
  }
}
