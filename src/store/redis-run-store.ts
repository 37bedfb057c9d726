import type { Redis as RedisClient } from 'ioredis';
import { ConfigError } from '../errors/taskforce-error.js';
import { importOptional } from '../util/import-optional.js';
import { RunExistsError, RunNotFoundError, StoreClosedError, StoreUnavailableError } from './errors.js';
import { StoreCorruptError } from './file-store.js';
import { journalChecksum } from './journal-checksum.js';
import { encodeEntries } from './journal-json.js';
import type { Store } from './kv-store.js';
import { leaseTakable } from './lease-rules.js';
import type { DeadLetter, JournalEntry, Lease, RunRecord, RunStatus, RunStore } from './run-store.js';

export interface RedisRunStoreOptions {
  /** Prepended to every key, so that several installations (or tests) can share one server. Default `taskforce:`. */
  readonly prefix?: string;
  /** How long opening waits for the server (ms). Default 10000. */
  readonly connectTimeoutMs?: number;
}

/** How often `append` / `acquireLease` retry when another writer got in between their read and their write. */
const MAX_ATTEMPTS = 1000;
/** How many runs `listRuns` reads per round trip while filtering. */
const PAGE = 200;

/**
 * The Lua scripts. Each runs atomically on the server. Where a decision needs JavaScript (the sha256
 * checksums of `append`, the process check of `acquireLease`), the script is a compare-and-set: it
 * writes only if what the client read is still there, and the client reads again and retries if not.
 * (Not WATCH/MULTI: WATCH belongs to the connection, and one store's concurrent calls share theirs.)
 */
const SCRIPTS = {
  // KEYS: run hash, runs index, runs counter. ARGV: runId, goal, createdAt, options JSON.
  tfCreateRun: {
    numberOfKeys: 3,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local ord = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], 'runId', ARGV[1], 'goal', ARGV[2], 'status', 'running', 'createdAt', ARGV[3], 'updatedAt', ARGV[3],
  'options', ARGV[4], 'costUsd', '0', 'tasksCompleted', '0', 'tasksTotal', '0', 'seq', '0')
redis.call('ZADD', KEYS[2], ARGV[3], string.format('%016d', ord) .. ':' .. ARGV[1])
return 1`,
  },
  // KEYS: run hash. ARGV: field, value, field, value... Returns the updated hash, or nil for no run.
  tfUpdateRun: {
    numberOfKeys: 1,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if #ARGV > 0 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
return redis.call('HGETALL', KEYS[1])`,
  },
  // KEYS: run hash, journal list. ARGV: the seq the client read, then the encoded entries.
  // Returns the seq before the batch; -1: no such run; -2: the seq moved on (retry).
  tfAppend: {
    numberOfKeys: 2,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
if seq ~= tonumber(ARGV[1]) then return -2 end
local n = #ARGV - 1
local i = 2
while i <= #ARGV do
  local last = math.min(i + 999, #ARGV)
  redis.call('RPUSH', KEYS[2], unpack(ARGV, i, last))
  i = last + 1
end
if n > 0 then redis.call('HSET', KEYS[1], 'seq', tostring(seq + n)) end
return seq`,
  },
  // KEYS: run hash. ARGV: the lease the client read (owner, host, pid, expiresAt; '' for none), then the new one.
  // Returns 1: taken; 0: the lease changed since it was read (retry); -1: no such run.
  tfAcquireLease: {
    numberOfKeys: 1,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local cur = redis.call('HMGET', KEYS[1], 'leaseOwner', 'leaseHost', 'leasePid', 'leaseExpiresAt')
for i = 1, 4 do
  if (cur[i] or '') ~= ARGV[i] then return 0 end
end
redis.call('HSET', KEYS[1], 'leaseOwner', ARGV[5], 'leaseHost', ARGV[6], 'leasePid', ARGV[7], 'leaseExpiresAt', ARGV[8])
return 1`,
  },
  // KEYS: run hash. ARGV: owner, new expiresAt.
  tfRenewLease: {
    numberOfKeys: 1,
    lua: `
if redis.call('HGET', KEYS[1], 'leaseOwner') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'leaseExpiresAt', ARGV[2])
return 1`,
  },
  // KEYS: run hash. ARGV: owner.
  tfReleaseLease: {
    numberOfKeys: 1,
    lua: `
if redis.call('HGET', KEYS[1], 'leaseOwner') ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'leaseOwner', 'leaseHost', 'leasePid', 'leaseExpiresAt')
return 1`,
  },
  // KEYS: letters hash, index, order hash, counter. ARGV: id, createdAt, letter JSON.
  // A replaced letter keeps its first place among letters created at the same time, as in SQLite.
  tfPutDeadLetter: {
    numberOfKeys: 4,
    lua: `
local ord = redis.call('HGET', KEYS[3], ARGV[1])
if not ord then
  ord = redis.call('INCR', KEYS[4])
  redis.call('HSET', KEYS[3], ARGV[1], ord)
end
local member = string.format('%016d', tonumber(ord)) .. ':' .. ARGV[1]
redis.call('ZADD', KEYS[2], ARGV[2], member)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`,
  },
} as const;

type Arg = string | number;
type Scripted = RedisClient & { [K in keyof typeof SCRIPTS]: (...args: Arg[]) => Promise<unknown> };

/** Index members are `<16-digit order>:<id>`, so that equal scores sort in insertion order. */
const ORDER_WIDTH = 17;

/**
 * A `RunStore` on a Redis server (ioredis, an optional peer dependency loaded on first open), for
 * installations whose processes run on several machines. Everything lives under `prefix`:
 *
 * - `run:<id>`: a hash per run (its record, its journal's last `seq`, its lease);
 *   `runs`: a sorted set of run ids by `createdAt` (`runs:order` numbers them, to break ties);
 * - `journal:<id>`: a list per run, entry `seq` at index `seq - 1`, each entry JSON with its checksum;
 * - `deadletters`: a hash id → letter JSON, indexed by `deadletters:index` (by `createdAt`;
 *   `deadletters:order` and `deadletters:counter` break ties);
 * - `kv`: a hash key → JSON, read whole when the store opens and written through.
 *
 * Multi-key scripts touch keys of one prefix, so a Redis Cluster needs a prefix with a hash tag
 * (`{taskforce}:`). Durability is the server's: configure AOF (`appendfsync always`) for an append
 * to be on disk when it resolves.
 *
 * @example
 * const store = await openRedisRunStore('redis://localhost:6379/0', { prefix: 'myteam:' });
 */
export async function openRedisRunStore(url: string, options: RedisRunStoreOptions = {}): Promise<RunStore> {
  const location = withoutPassword(url);
  const Redis = await loadRedis(location);
  let lastError: unknown;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: Math.max(1, Math.floor(options.connectTimeoutMs ?? 10_000)),
  }) as Scripted;
  // Without a listener ioredis prints every connection error; they reach callers through their commands.
  redis.on('error', (error: unknown) => {
    lastError = error;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    // connect() rejects with "Connection is closed"; the error event before it says why (ECONNREFUSED...).
    const cause = lastError ?? error;
    const why = (cause instanceof Error ? cause.message : String(cause)).replace(/\.$/, '');
    throw new StoreUnavailableError(location, cause, `cannot open the Redis store ${location}: ${why}. Check that the server is running and the URL is right`);
  }
  for (const [name, definition] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: definition.numberOfKeys, lua: definition.lua });
  try {
    return await redisRunStore(redis, location, options.prefix ?? 'taskforce:');
  } catch (error) {
    redis.disconnect();
    throw error;
  }
}

/** Loads ioredis; a missing package is a `StoreUnavailableError` saying to install it. `load` is for tests. */
export async function loadRedis(location: string, load: () => Promise<{ Redis: typeof RedisClient }> = () => import('ioredis')): Promise<typeof RedisClient> {
  try {
    return (await importOptional('ioredis', 'the Redis run store', load)).Redis;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new StoreUnavailableError(
      location,
      error.cause ?? error,
      `cannot open the Redis store ${location}: the npm package ioredis is not installed. ` +
        'Install it with `npm install ioredis`, or use the SQLite store (a file path) or the memory store (":memory:")',
    );
  }
}

/** The URL as it may be shown: any password is left out. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, (_, user: string) => (user ? `//${user}@` : '//'));
  }
}

interface StoredEntry { seq: number; kind: string; path: string; key: string; data: string; at: number; checksum: string }

async function redisRunStore(redis: Scripted, location: string, prefix: string): Promise<RunStore> {
  const keys = {
    run: (runId: string) => `${prefix}run:${runId}`,
    runs: `${prefix}runs`,
    runsOrder: `${prefix}runs:order`,
    journal: (runId: string) => `${prefix}journal:${runId}`,
    letters: `${prefix}deadletters`,
    lettersIndex: `${prefix}deadletters:index`,
    lettersOrder: `${prefix}deadletters:order`,
    lettersCounter: `${prefix}deadletters:counter`,
    kv: `${prefix}kv`,
  };
  let closed = false;
  const check = (operation: string) => {
    if (closed) throw new StoreClosedError(location, operation);
  };

  // kv is read synchronously by strategies: loaded whole now, each `set` sent at once. Commands on one
  // connection run in order, so the server sees the sets in the order they were made; `flush` waits.
  const kvData = new Map<string, unknown>();
  for (const [key, value] of Object.entries(await redis.hgetall(keys.kv))) {
    try {
      kvData.set(key, JSON.parse(value));
    } catch (error) {
      throw new StoreCorruptError(location, `kv key ${JSON.stringify(key)} (in ${keys.kv}) is not JSON`, { cause: error });
    }
  }
  const pending = new Set<Promise<void>>();
  let writeError: unknown;
  const track = (write: Promise<unknown>) => {
    const tracked: Promise<void> = write.then(
      () => undefined,
      (error: unknown) => {
        writeError ??= error;
      },
    ).finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  const settle = async () => {
    while (pending.size > 0) await Promise.all([...pending]);
    if (writeError !== undefined) {
      const error = writeError;
      writeError = undefined;
      throw new Error(`a kv write to the Redis store ${location} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
  const kv: Store = {
    get<T>(key: string): T | undefined {
      check('kv.get');
      return kvData.has(key) ? (structuredClone(kvData.get(key)) as T) : undefined;
    },
    set(key, value) {
      check('kv.set');
      if (value === undefined) {
        kvData.delete(key);
        track(redis.hdel(keys.kv, key));
        return;
      }
      const json = JSON.stringify(value);
      kvData.set(key, JSON.parse(json));
      track(redis.hset(keys.kv, key, json));
    },
    keys(prefixOfKeys = '') {
      check('kv.keys');
      return [...kvData.keys()].filter((key) => key.startsWith(prefixOfKeys)).sort();
    },
    async flush() {
      check('kv.flush');
      await settle();
    },
  };

  const readRun = async (runId: string): Promise<RunRecord | undefined> => toRecord(await redis.hgetall(keys.run(runId)));
  const lettersIn = async (ids: string[]): Promise<DeadLetter[]> =>
    ids.length === 0 ? [] : (await redis.hmget(keys.letters, ...ids)).flatMap((json) => (json === null ? [] : [JSON.parse(json) as DeadLetter]));

  return {
    location,
    kv,

    async createRun(run) {
      check('createRun');
      const created = await redis.tfCreateRun(keys.run(run.runId), keys.runs, keys.runsOrder, run.runId, run.goal, String(run.createdAt), JSON.stringify(run.options));
      if (created === 0) throw new RunExistsError(run.runId, location);
      return (await readRun(run.runId))!;
    },
    async getRun(runId) {
      check('getRun');
      return readRun(runId);
    },
    async listRuns({ status, limit } = {}) {
      check('listRuns');
      const wanted = limit === undefined || limit < 0 ? Infinity : limit;
      const runs: RunRecord[] = [];
      for (let start = 0; runs.length < wanted; start += PAGE) {
        const members = await redis.zrevrange(keys.runs, start, start + PAGE - 1);
        if (members.length === 0) break;
        const pipeline = redis.pipeline();
        for (const member of members) pipeline.hgetall(keys.run(member.slice(ORDER_WIDTH)));
        for (const [error, hash] of (await pipeline.exec()) ?? []) {
          if (error) throw error;
          const run = toRecord(hash as Record<string, string>);
          if (run && (status === undefined || run.status === status) && runs.length < wanted) runs.push(run);
        }
      }
      return runs;
    },
    async updateRun(runId, update) {
      check('updateRun');
      const fields: Arg[] = ['updatedAt', String(update.updatedAt)];
      if (update.status !== undefined) fields.push('status', update.status);
      if (update.costUsd !== undefined) fields.push('costUsd', String(update.costUsd));
      if (update.tasksCompleted !== undefined) fields.push('tasksCompleted', String(update.tasksCompleted));
      if (update.tasksTotal !== undefined) fields.push('tasksTotal', String(update.tasksTotal));
      if (update.detail !== undefined) fields.push('detail', update.detail);
      const flat = (await redis.tfUpdateRun(keys.run(runId), ...fields)) as string[] | null;
      if (!flat) throw new RunNotFoundError(runId, location);
      const hash: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
      return toRecord(hash)!;
    },

    async append(runId, entries) {
      check('append');
      const data = encodeEntries(runId, entries);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const before = Number((await redis.hget(keys.run(runId), 'seq')) ?? 0);
        const encoded = entries.map((entry, index) => {
          const row = { seq: before + index + 1, kind: entry.kind, path: entry.path, key: entry.key, data: data[index]!, at: entry.at };
          return JSON.stringify({ ...row, checksum: journalChecksum({ runId, ...row }) } satisfies StoredEntry);
        });
        const result = Number(await redis.tfAppend(keys.run(runId), keys.journal(runId), String(before), ...encoded));
        if (result === -1) throw new RunNotFoundError(runId, location);
        if (result === -2) continue; // another writer appended in between: number the batch again
        return entries.map((_, index) => result + index + 1);
      }
      throw new Error(`cannot append to run ${JSON.stringify(runId)} in ${location}: other writers kept appending first (${MAX_ATTEMPTS} attempts)`);
    },
    async journal(runId, { afterSeq = 0 } = {}) {
      check('journal');
      const from = Math.max(0, Math.floor(afterSeq));
      const entries: JournalEntry[] = [];
      const raw = await redis.lrange(keys.journal(runId), from, -1);
      for (const [index, text] of raw.entries()) {
        // An entry that does not verify was damaged (or written by something else): it and everything
        // after it are not trusted, as in the SQLite store.
        let stored: StoredEntry;
        let data: unknown;
        try {
          stored = JSON.parse(text) as StoredEntry;
          if (stored.seq !== from + index + 1 || stored.checksum !== journalChecksum({ runId, ...stored })) break;
          data = JSON.parse(stored.data);
        } catch {
          break;
        }
        entries.push({ seq: stored.seq, kind: stored.kind, path: stored.path, key: stored.key, data, at: stored.at });
      }
      return entries;
    },

    async acquireLease(runId, owner, ttlMs, now) {
      check('acquireLease');
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const [exists, leaseOwner, host, pid, expiresAt] = await redis.hmget(keys.run(runId), 'runId', 'leaseOwner', 'leaseHost', 'leasePid', 'leaseExpiresAt');
        if (exists === null) throw new RunNotFoundError(runId, location);
        const current = leaseOf(leaseOwner ?? null, host ?? null, pid ?? null, expiresAt ?? null);
        if (!leaseTakable(current, owner.owner, now)) return { ok: false, holder: current! };
        const lease: Lease = { owner: owner.owner, host: owner.host, pid: owner.pid, expiresAt: now + ttlMs };
        const taken = Number(
          await redis.tfAcquireLease(
            keys.run(runId),
            leaseOwner ?? '', host ?? '', pid ?? '', expiresAt ?? '',
            lease.owner, lease.host, String(lease.pid), String(lease.expiresAt),
          ),
        );
        if (taken === -1) throw new RunNotFoundError(runId, location);
        if (taken === 1) return { ok: true, lease };
        // The lease changed since it was read (another process took or renewed it): decide again.
      }
      throw new Error(`cannot acquire the lease of run ${JSON.stringify(runId)} in ${location}: it kept changing (${MAX_ATTEMPTS} attempts)`);
    },
    async renewLease(runId, owner, ttlMs, now) {
      check('renewLease');
      return Number(await redis.tfRenewLease(keys.run(runId), owner, String(now + ttlMs))) === 1;
    },
    async releaseLease(runId, owner) {
      check('releaseLease');
      await redis.tfReleaseLease(keys.run(runId), owner);
    },

    async putDeadLetter(letter) {
      check('putDeadLetter');
      await redis.tfPutDeadLetter(keys.letters, keys.lettersIndex, keys.lettersOrder, keys.lettersCounter, letter.id, String(letter.createdAt), JSON.stringify(letter));
    },
    async listDeadLetters({ runId, status } = {}) {
      check('listDeadLetters');
      const ids = (await redis.zrevrange(keys.lettersIndex, 0, -1)).map((member) => member.slice(ORDER_WIDTH));
      return (await lettersIn(ids)).filter((l) => (runId === undefined || l.runId === runId) && (status === undefined || l.status === status));
    },
    async getDeadLetter(id) {
      check('getDeadLetter');
      return (await lettersIn([id]))[0];
    },

    async close() {
      if (closed) return;
      closed = true;
      try {
        await settle();
      } finally {
        await redis.quit().catch(() => redis.disconnect());
      }
    },
  };
}

function leaseOf(owner: string | null, host: string | null, pid: string | null, expiresAt: string | null): Lease | undefined {
  return owner === null ? undefined : { owner, host: host ?? '', pid: Number(pid ?? 0), expiresAt: Number(expiresAt ?? 0) };
}

/** A run hash as a record; undefined for a missing (empty) hash. */
function toRecord(hash: Record<string, string>): RunRecord | undefined {
  if (hash.runId === undefined) return undefined;
  const lease = leaseOf(hash.leaseOwner ?? null, hash.leaseHost ?? null, hash.leasePid ?? null, hash.leaseExpiresAt ?? null);
  return {
    runId: hash.runId,
    goal: hash.goal ?? '',
    status: hash.status as RunStatus,
    createdAt: Number(hash.createdAt),
    updatedAt: Number(hash.updatedAt),
    options: JSON.parse(hash.options ?? '{}') as Record<string, unknown>,
    costUsd: Number(hash.costUsd ?? 0),
    tasksCompleted: Number(hash.tasksCompleted ?? 0),
    tasksTotal: Number(hash.tasksTotal ?? 0),
    ...(hash.detail === undefined ? {} : { detail: hash.detail }),
    ...(lease === undefined ? {} : { lease }),
  };
}
