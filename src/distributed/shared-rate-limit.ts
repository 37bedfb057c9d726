import { randomUUID } from 'node:crypto';
import { AbortedError, ConfigError } from '../errors/taskforce-error.js';
import { importOptional } from '../util/import-optional.js';
import { redisConnection } from './connection.js';

/** A limit on provider requests shared by every process that uses the same Redis key. */
export interface SharedRateLimit {
  /** Resolves when one more request fits in the window (then it counts); waits otherwise. */
  acquire(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export interface SharedRateLimitOptions {
  readonly redis: string;
  /** Requests allowed in any window of `windowMs`. */
  readonly max: number;
  /** Default 60 000 (requests per minute). */
  readonly windowMs?: number;
  /** The limit's name: processes with the same key share it. Default `taskforce:rate:default`. */
  readonly key?: string;
}

// A sliding-window log in a sorted set, checked and taken in one script on the server's clock, so
// workers on machines whose clocks differ still share one window. Returns 0 when taken, else the ms
// until the oldest request leaves the window.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

/**
 * A provider rate limit (requests per window) that every worker enforces together, through Redis:
 * no window of `windowMs` ever holds more than `max` acquisitions, whichever process made them.
 */
export async function sharedRateLimit(options: SharedRateLimitOptions): Promise<SharedRateLimit> {
  if (!Number.isInteger(options.max) || options.max < 1) throw new ConfigError(`rate limit: max must be a positive integer, got ${options.max}`);
  const windowMs = options.windowMs ?? 60_000;
  if (!Number.isInteger(windowMs) || windowMs < 1) throw new ConfigError(`rate limit: windowMs must be a positive integer, got ${windowMs}`);
  const { Redis } = await importOptional('ioredis', 'a rate limit shared by workers', () => import('ioredis'));
  const client = new Redis(redisConnection(options.redis));
  const key = options.key ?? 'taskforce:rate:default';
  return {
    async acquire(signal) {
      for (;;) {
        if (signal?.aborted) throw new AbortedError('cancelled while waiting for the shared rate limit');
        const wait = Number(await client.eval(TAKE, 1, key, windowMs, options.max, randomUUID()));
        if (wait === 0) return;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    },
    async close() {
      await client.quit();
    },
  };
}

/** Reads `N` or `N/MS` (requests per window; default window a minute). */
export function parseRateLimit(text: string): { readonly max: number; readonly windowMs: number } | undefined {
  const match = /^(\d+)(?:\/(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  return { max: Number(match[1]), windowMs: match[2] !== undefined ? Number(match[2]) : 60_000 };
}
