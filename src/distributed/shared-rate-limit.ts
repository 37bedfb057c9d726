import { randomUUID } from 'node:crypto';
import { ConfigError } from '../errors/taskforce-error.js';
import type { ExternalLedger } from '../runtime/budget.js';
import { checkPerWindow } from './per-window.js';
import { connectRedisScripts, pollScript } from './redis-scripts.js';

/**
 * A limit on provider requests shared by every process that uses the same Redis key. As an external
 * ledger of a budget tracker (`startAgentWorker({ rateLimit })`), a call takes its place in the window
 * last, inside the runtime's slot, just before it goes to the provider.
 */
export interface SharedRateLimit extends ExternalLedger {
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
  /**
   * How late after it was let through a request may reach the provider and still keep to the limit
   * as the provider counts it (by arrival): a request holds its place for `windowMs + slackMs`.
   * Default a quarter of the window, at most a second.
   */
  readonly slackMs?: number;
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
 * no window of `windowMs + slackMs` ever holds more than `max` acquisitions, whichever process made
 * them; so no window of `windowMs` holds more than `max` arrivals at the provider, while each request
 * arrives within `slackMs` of being let through.
 */
export async function sharedRateLimit(options: SharedRateLimitOptions): Promise<SharedRateLimit> {
  const { max, windowMs } = checkPerWindow('rate limit', options.max, options.windowMs);
  const slackMs = options.slackMs ?? Math.min(1000, Math.ceil(windowMs / 4));
  if (!Number.isInteger(slackMs) || slackMs < 0) throw new ConfigError(`rate limit: slackMs must be an integer ≥ 0, got ${slackMs}`);
  const redis = await connectRedisScripts(options.redis, 'a rate limit shared by workers');
  const key = options.key ?? 'taskforce:rate:default';
  const acquire = async (signal?: AbortSignal) => {
    await pollScript(redis, TAKE, [key], [String(windowMs + slackMs), String(max), randomUUID()], signal, 'the shared rate limit');
  };
  return {
    acquire,
    capsSpend: false,
    async reserve(call, signal) {
      await acquire(signal);
      return { outputTokens: call.outputTokens, settle: () => undefined };
    },
    close: () => redis.close(),
  };
}
