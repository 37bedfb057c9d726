import { ConfigError } from '../errors/taskforce-error.js';

/** BullMQ's connection options for a `redis://` / `rediss://` URL (BullMQ needs `maxRetriesPerRequest: null` on workers). */
export interface RedisConnection {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
  readonly tls?: Record<string, never>;
  readonly maxRetriesPerRequest: null;
}

/** Reads a Redis URL into connection options, with a `ConfigError` naming the URL's problem. */
export function redisConnection(url: string): RedisConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`the Redis URL "${url}" is not a URL (expected redis://host:port or rediss://host:port)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new ConfigError(`the Redis URL "${url}" must start with redis:// or rediss://`);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  if (db !== undefined && !Number.isInteger(db)) throw new ConfigError(`the Redis URL "${url}": the database number "${parsed.pathname.slice(1)}" is not an integer`);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db !== undefined ? { db } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/** The default queue of agent runs. */
export const DEFAULT_QUEUE = 'taskforce-agents';
