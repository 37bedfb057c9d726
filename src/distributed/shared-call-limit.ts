import { randomUUID } from 'node:crypto';
import { ConfigError } from '../errors/taskforce-error.js';
import type { ExternalHold, ExternalLedger } from '../runtime/budget.js';
import { DEFAULT_HOLD_TTL_MS } from './shared-budget.js';
import { connectRedisScripts, pollScript } from './redis-scripts.js';

// Calls in flight as holds in a hash (id -> expiresAt), counted afresh at each take: a process that
// dies holding one frees it when it expires.

/** `{ 'ok' } | { 'wait' }` */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local holds = redis.call('HGETALL', KEYS[1])
local live = 0
for i = 1, #holds, 2 do
  if tonumber(holds[i + 1]) <= now then redis.call('HDEL', KEYS[1], holds[i]) else live = live + 1 end
end
if live >= tonumber(ARGV[2]) then return {'wait'} end
redis.call('HSET', KEYS[1], ARGV[1], now + tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {'ok'}
`;

/** A cap on model calls in flight at once, shared by every process that uses the same key. */
export interface SharedCallLimit extends ExternalLedger {
  close(): Promise<void>;
}

export interface SharedCallLimitOptions {
  readonly redis: string;
  /** Model calls in flight at once, over every process. */
  readonly max: number;
  /** The limit's name: processes with the same key share it. Default `taskforce:in-flight:default`. */
  readonly key?: string;
  /** How long a call's hold outlives it when nothing ends it (its process died); default 10 minutes. */
  readonly holdTtlMs?: number;
}

/**
 * A provider's concurrency cap that every worker enforces together, through Redis: at most `max`
 * model calls are in flight at once, whichever processes make them. A call waits for a place and
 * gives it back when it ends. Give it to `startAgentWorker({ callLimit })`.
 */
export async function sharedCallLimit(options: SharedCallLimitOptions): Promise<SharedCallLimit> {
  if (!Number.isInteger(options.max) || options.max < 1) throw new ConfigError(`call limit: max must be a positive integer, got ${options.max}`);
  const holdTtl = options.holdTtlMs ?? DEFAULT_HOLD_TTL_MS;
  if (!Number.isInteger(holdTtl) || holdTtl < 1) throw new ConfigError(`call limit: holdTtlMs must be a positive integer, got ${holdTtl}`);
  const redis = await connectRedisScripts(options.redis, 'a call limit shared by workers');
  const key = options.key ?? 'taskforce:in-flight:default';
  return {
    capsSpend: false,
    async reserve(call, signal): Promise<ExternalHold> {
      const id = randomUUID();
      await pollScript(redis, TAKE, [key], [id, String(options.max), String(holdTtl)], signal, 'the shared call limit');
      return { outputTokens: call.outputTokens, settle: () => void redis.eval(`redis.call('HDEL', KEYS[1], ARGV[1]) return 0`, [key], [id]).catch(() => undefined) };
    },
    close: () => redis.close(),
  };
}
