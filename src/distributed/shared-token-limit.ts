import { randomUUID } from 'node:crypto';
import { ConfigError } from '../errors/taskforce-error.js';
import type { ExternalCall, ExternalHold, ExternalLedger } from '../runtime/budget.js';
import { checkPerWindow } from './per-window.js';
import { connectRedisScripts, pollScript } from './redis-scripts.js';

// A sliding window of tokens: when each call started (a sorted set) and what it counts (a hash),
// taken in one script on the server's clock. A call counts its worst case (input plus output cap)
// from when it is let through, as providers count a request's max_tokens against the limit; when it
// ends, its real usage replaces that for the rest of its window.

/** `{ 'ok', output } | { 'wait', ms } | { 'refused', needed }` */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window, max = tonumber(ARGV[5]), tonumber(ARGV[6])
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - window)
for _, id in ipairs(gone) do redis.call('HDEL', KEYS[2], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local input, output, ownCap = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == '1'
local room = max - input
if room < 1 or (ownCap and room < output) then
  local least = 1
  if ownCap then least = math.max(1, output) end
  return {'refused', tostring(input + least)}
end
if output > room then output = room end
local sum = 0
for _, v in ipairs(redis.call('HVALS', KEYS[2])) do sum = sum + tonumber(v) end
if sum + input + output > max then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {'wait', tostring(math.max(1, tonumber(oldest[2]) + window - now))}
end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], input + output)
redis.call('PEXPIRE', KEYS[1], window)
redis.call('PEXPIRE', KEYS[2], window)
return {'ok', tostring(output)}
`;

/** The call's real tokens replace its worst case, while it is still in the window. */
const SETTLE = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end
return 0
`;

/** A provider's tokens-per-window limit shared by every process that uses the same key. */
export interface SharedTokenLimit extends ExternalLedger {
  close(): Promise<void>;
}

export interface SharedTokenLimitOptions {
  readonly redis: string;
  /** Tokens (input + output) allowed in any window of `windowMs`. */
  readonly max: number;
  /** Default 60 000 (tokens per minute). */
  readonly windowMs?: number;
  /** The limit's name: processes with the same key share it. Default `taskforce:tokens:default`. */
  readonly key?: string;
}

/**
 * A provider's tokens-per-minute limit that every worker enforces together, through Redis: the calls
 * let through in any window of `windowMs` hold at most `max` tokens, counted as each call's worst
 * case (input estimate plus output cap, the output cap lowered to fit) until it reports its usage.
 * Give it to a budget tracker as an external ledger (`startAgentWorker({ tokenLimit })` does).
 */
export async function sharedTokenLimit(options: SharedTokenLimitOptions): Promise<SharedTokenLimit> {
  const { max, windowMs } = checkPerWindow('token limit', options.max, options.windowMs);
  const redis = await connectRedisScripts(options.redis, 'a token limit shared by workers');
  const key = options.key ?? 'taskforce:tokens:default';
  const keys = [key, `${key}:tokens`];
  return {
    capsSpend: true,
    async reserve(call: ExternalCall, signal?: AbortSignal): Promise<ExternalHold> {
      const id = randomUUID();
      const args = [id, String(call.inputTokens), String(call.outputTokens), call.ownCap ? '1' : '0', String(windowMs), String(max)];
      const [status, value] = await pollScript(redis, TAKE, keys, args, signal, 'the shared token limit');
      if (status === 'refused')
        throw new ConfigError(`a model call needs at least ${value} tokens, more than the shared token limit allows in a window (${max} per ${windowMs} ms)`);
      return {
        outputTokens: Number(value),
        settle: (tokens) => void redis.eval(SETTLE, keys, [id, String(Math.round(tokens))]).catch(() => undefined),
      };
    },
    close: () => redis.close(),
  };
}
