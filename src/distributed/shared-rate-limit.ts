import { randomUUID } from 'node:crypto';
import { checkPerWindow } from './per-window.js';
import { connectRedisScripts, pollScript } from './redis-scripts.js';

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
// workers on machines whose clocks differ still share one window. Answers 'ok' when taken, else
// 'wait' and the ms until the oldest request leaves the window.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {'ok'}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {'wait', tostring(math.max(1, tonumber(oldest[2]) + window - now))}
`;

/**
 * A provider rate limit (requests per window) that every worker enforces together, through Redis:
 * no window of `windowMs` ever holds more than `max` acquisitions, whichever process made them.
 */
export async function sharedRateLimit(options: SharedRateLimitOptions): Promise<SharedRateLimit> {
  const { max, windowMs } = checkPerWindow('rate limit', options.max, options.windowMs);
  const redis = await connectRedisScripts(options.redis, 'a rate limit shared by workers');
  const key = options.key ?? 'taskforce:rate:default';
  return {
    async acquire(signal) {
      await pollScript(redis, TAKE, [key], [String(windowMs), String(max), randomUUID()], signal, 'the shared rate limit');
    },
    close: () => redis.close(),
  };
}
