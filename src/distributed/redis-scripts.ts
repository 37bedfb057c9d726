import { createHash } from 'node:crypto';
import { AbortedError } from '../errors/taskforce-error.js';
import { importOptional } from '../util/import-optional.js';
import { redisConnection } from './connection.js';

/**
 * A Redis connection that runs Lua scripts: how every limit shared by workers (rate, tokens per
 * minute, a run's budget) reads and changes its state at once, on the server's clock.
 */
export interface RedisScripts {
  /** Runs `script` with `keys` and `args`: by its SHA once the server has it, sending the text only the first time. */
  eval(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Connects to the Redis at `url` (`redis://host:port`), for `purpose` (named in the error when `ioredis` is not installed). */
export async function connectRedisScripts(url: string, purpose: string): Promise<RedisScripts> {
  const { Redis } = await importOptional('ioredis', purpose, () => import('ioredis'));
  const client = new Redis(redisConnection(url));
  const shas = new Map<string, string>();
  return {
    async eval(script, keys, args) {
      let sha = shas.get(script);
      if (!sha) shas.set(script, (sha = createHash('sha1').update(script).digest('hex')));
      try {
        return await client.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
        return client.eval(script, keys.length, ...keys, ...args);
      }
    },
    async close() {
      await client.quit();
    },
  };
}

/**
 * Runs `script` until it answers anything but `wait`: `['wait', ms]` means try again in `ms` (15 ms
 * when it does not say). Returns the answer as strings; rejects with `AbortedError` when `signal` fires.
 */
export async function pollScript(redis: RedisScripts, script: string, keys: readonly string[], args: readonly string[], signal: AbortSignal | undefined, what: string): Promise<string[]> {
  for (;;) {
    if (signal?.aborted) throw new AbortedError(`cancelled while waiting for ${what}`);
    const reply = ((await redis.eval(script, keys, args)) as unknown[]).map(String);
    if (reply[0] !== 'wait') return reply;
    await sleep(reply[1] !== undefined ? Number(reply[1]) : 15, signal);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
