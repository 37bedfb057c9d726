import { randomUUID } from 'node:crypto';
import { BudgetExceededError, type BudgetKind } from '../errors/budget-errors.js';
import { AbortedError, ConfigError } from '../errors/taskforce-error.js';
import type { Budgets, ExternalCall, ExternalHold, ExternalLedger } from '../runtime/budget.js';
import type { ShareBudgetRequest, SharedRunBudget } from '../orchestrate/orchestration.js';
import { pollScript, type RedisScripts } from './redis-scripts.js';

// A run's budget in one Redis hash that the coordinator and every worker reserve in, by scripts that
// read and change it at once: the same worst-case reservation as src/runtime/budget.ts, for one
// ledger, on the server. Holds live in a second hash (id -> "tokens cost expiresAt"), so a process
// that dies holding one frees it when it expires, and the sum held is counted afresh at each reserve.

/** `{ 'ok', output } | { 'wait' } | { 'refused', kind, used, limit, needed } | { 'exceeded', kind, used, limit } | { 'stopped', reason } | { 'missing' }` */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function num(v) if v then return tonumber(v) end return nil end
local f = redis.call('HMGET', KEYS[1], 'maxTokens', 'maxCostUsd', 'maxModelCalls', 'deadline', 'startedAt', 'tokens', 'costUsd', 'calls', 'stopped', 'maxWallTimeMs')
if not f[6] then return {'missing'} end
if f[9] then return {'stopped', f[9]} end
local maxTokens, maxCost, maxCalls, deadline = num(f[1]), num(f[2]), num(f[3]), num(f[4])
local tokens, cost, calls = num(f[6]), num(f[7]), num(f[8])
if deadline and now >= deadline then return {'exceeded', 'wallTimeMs', tostring(now - num(f[5])), f[10]} end
if maxCalls and calls >= maxCalls then return {'exceeded', 'modelCalls', tostring(calls), tostring(maxCalls)} end
if maxTokens and tokens >= maxTokens then return {'exceeded', 'tokens', tostring(tokens), tostring(maxTokens)} end
if maxCost and cost >= maxCost then return {'exceeded', 'costUsd', tostring(cost), tostring(maxCost)} end
local input, output, ownCap = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == '1'
local pin, pout = num(ARGV[5]), num(ARGV[6])
local room, kind = math.huge, nil
if maxTokens then room = maxTokens - tokens - input; kind = 'tokens' end
if maxCost and pin then
  local left = maxCost - cost - input * pin / 1e6
  local byCost
  if pout > 0 then byCost = left * 1e6 / pout elseif left >= 0 then byCost = math.huge else byCost = -1 end
  if byCost < room then room = byCost; kind = 'costUsd' end
end
room = math.floor(room)
if kind and (room < 1 or (ownCap and room < output)) then
  local least = 1
  if ownCap then least = math.max(1, output) end
  if kind == 'tokens' then return {'refused', 'tokens', tostring(tokens), tostring(maxTokens), tostring(input + least)} end
  return {'refused', 'costUsd', tostring(cost), tostring(maxCost), tostring(input * pin / 1e6 + least * pout / 1e6)}
end
if room < output then output = room end
local worstTokens, worstCost = input + output, 0
if pin then worstCost = input * pin / 1e6 + output * pout / 1e6 end
local holds = redis.call('HGETALL', KEYS[2])
local heldTokens, heldCost = 0, 0
for i = 1, #holds, 2 do
  local a, b, expires = string.match(holds[i + 1], '^(%S+) (%S+) (%S+)$')
  if tonumber(expires) <= now then redis.call('HDEL', KEYS[2], holds[i])
  else heldTokens = heldTokens + tonumber(a); heldCost = heldCost + tonumber(b) end
end
if (maxTokens and tokens + heldTokens + worstTokens > maxTokens) or (maxCost and cost + heldCost + worstCost > maxCost + 1e-12) then return {'wait'} end
redis.call('HINCRBY', KEYS[1], 'calls', 1)
redis.call('HSET', KEYS[2], ARGV[1], worstTokens .. ' ' .. worstCost .. ' ' .. (now + tonumber(ARGV[7])))
return {'ok', tostring(output)}
`;

const SETTLE = `
redis.call('HDEL', KEYS[2], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'tokens', ARGV[2])
  redis.call('HINCRBYFLOAT', KEYS[1], 'costUsd', ARGV[3])
end
return 0
`;

/** Arms the ledger for a run: limits, and a deadline from now; what was spent is kept on resume (ARGV[6] = '1'), else cleared. */
const OPEN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[6] ~= '1' then redis.call('DEL', KEYS[1], KEYS[2]) end
redis.call('HDEL', KEYS[1], 'stopped', 'maxTokens', 'maxCostUsd', 'maxModelCalls', 'deadline', 'maxWallTimeMs')
redis.call('HSETNX', KEYS[1], 'tokens', 0)
redis.call('HSETNX', KEYS[1], 'costUsd', 0)
redis.call('HSETNX', KEYS[1], 'calls', 0)
redis.call('HSET', KEYS[1], 'startedAt', now)
if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'maxTokens', ARGV[1]) end
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'maxCostUsd', ARGV[2]) end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'maxModelCalls', ARGV[3]) end
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], 'maxWallTimeMs', ARGV[4])
  redis.call('HSET', KEYS[1], 'deadline', now + tonumber(ARGV[4]))
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 0
`;

/** How long a hold outlives its reservation when nothing settles it (its process died): 10 minutes. */
export const DEFAULT_HOLD_TTL_MS = 10 * 60_000;
/** How long a run's ledger stays in Redis after it was last armed: a week, for resumes. */
const LEDGER_TTL_MS = 7 * 24 * 3600_000;

/** The Redis key of durable run `runId`'s budget. */
export const sharedBudgetKey = (runId: string): string => `taskforce:budget:${runId}`;

/**
 * Arms `run`'s budget in Redis with its limits (a deadline from now, when `maxWallTimeMs` is set) and
 * returns it, as the run holds it: it can stop every worker's calls. A durable run's ledger is keyed
 * by its run id, and a resumed run keeps what its earlier processes spent; any other run gets a
 * ledger of its own (its id may repeat: a seeded run's ids are the same every time).
 */
export async function openSharedBudget(redis: RedisScripts, run: ShareBudgetRequest, options: { holdTtlMs?: number } = {}): Promise<SharedRunBudget> {
  const key = run.durable ? sharedBudgetKey(run.runId) : `${sharedBudgetKey(run.runId)}:${randomUUID()}`;
  const { limits } = run;
  const arg = (value: number | undefined) => (value === undefined ? '' : String(value));
  await redis.eval(OPEN, [key, `${key}:holds`], [arg(limits.maxTokens), arg(limits.maxCostUsd), arg(limits.maxModelCalls), arg(limits.maxWallTimeMs), String(LEDGER_TTL_MS), run.resumed ? '1' : '0']);
  return {
    ...sharedBudgetLedger(redis, key, limits, options),
    key,
    async stop(reason) {
      await redis.eval(`if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'stopped', ARGV[1]) end return 0`, [key], [reason]);
    },
  };
}

/** The ledger at `key`, as a worker reserves in it; `limits` say whether it caps spend. */
export function sharedBudgetLedger(redis: RedisScripts, key: string, limits: Budgets, options: { holdTtlMs?: number } = {}): ExternalLedger {
  const holdTtl = options.holdTtlMs ?? DEFAULT_HOLD_TTL_MS;
  if (!Number.isInteger(holdTtl) || holdTtl < 1) throw new ConfigError(`shared budget: holdTtlMs must be a positive integer, got ${holdTtl}`);
  const holds = `${key}:holds`;
  return {
    capsSpend: limits.maxTokens !== undefined || limits.maxCostUsd !== undefined,
    async reserve(call: ExternalCall, signal?: AbortSignal): Promise<ExternalHold> {
      const id = randomUUID();
      const args = [id, String(call.inputTokens), String(call.outputTokens), call.ownCap ? '1' : '0', call.price ? String(call.price.input) : '', call.price ? String(call.price.output) : '', String(holdTtl)];
      const reply = await pollScript(redis, RESERVE, [key, holds], args, signal, 'the shared run budget');
      const [status, ...rest] = reply;
      switch (status) {
        case 'ok':
          return {
            outputTokens: Number(rest[0]),
            settle: (tokens, costUsd) => void redis.eval(SETTLE, [key, holds], [id, String(Math.round(tokens)), String(costUsd)]).catch(() => undefined),
          };
        case 'refused':
          throw new BudgetExceededError(rest[0] as BudgetKind, Number(rest[1]), Number(rest[2]), Number(rest[3]));
        case 'exceeded':
          throw new BudgetExceededError(rest[0] as BudgetKind, Number(rest[1]), Number(rest[2]));
        case 'stopped':
          throw new AbortedError(`the run was stopped: ${rest[0]}`);
        default:
          throw new AbortedError(`the run's shared budget ${key} is not in Redis (the run ended long ago, or Redis lost it)`);
      }
    },
  };
}
