import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/taskforce-error.js';
import { importOptional } from './import-optional.js';

/** What Node throws when a package is not installed. */
function notFound(packageName: string): Error {
  return Object.assign(new Error(`Cannot find package '${packageName}' imported from /app/index.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}

describe('importOptional', () => {
  it('returns the module when the package is installed', async () => {
    await expect(importOptional('x', 'y', async () => ({ ok: 1 }))).resolves.toEqual({ ok: 1 });
  });

  it('names the missing package, what needs it and the install command', async () => {
    const load = () => Promise.reject(notFound('@modelcontextprotocol/sdk'));
    const error = await importOptional('@modelcontextprotocol/sdk', 'the MCP server', load).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'the MCP server needs the npm package "@modelcontextprotocol/sdk", which is not installed: npm install @modelcontextprotocol/sdk',
    );
  });

  it('rethrows a missing package inside the one asked for, and any other failure, as they are', async () => {
    const inner = notFound('some-dependency');
    await expect(importOptional('@modelcontextprotocol/sdk', 'the MCP server', () => Promise.reject(inner))).rejects.toBe(inner);
    const other = new SyntaxError('bad module');
    await expect(importOptional('prom-client', 'metrics', () => Promise.reject(other))).rejects.toBe(other);
  });
});
