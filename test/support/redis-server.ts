import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, createConnection } from 'node:net';

/** A throwaway `redis-server` on a free loopback port, with nothing saved to disk. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  stop(): Promise<void>;
}

const NOT_INSTALLED =
  'redis-server is not on the PATH: the Redis tests start a real Redis server and are not skipped without one. ' +
  '`.ci/run` installs it (Debian: `apt-get install -y redis-server`); install it the same way to run these tests locally';

/**
 * Starts `redis-server` (`--save '' --appendonly no`, bound to 127.0.0.1) and resolves once it answers
 * PING. Fails, with a message saying how to install it, when there is no `redis-server`.
 *
 * @example
 * let redis: RedisServer;
 * beforeAll(async () => { redis = await startRedisServer(); });
 * afterAll(() => redis?.stop());
 */
export async function startRedisServer(options: { readyTimeoutMs?: number } = {}): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ENOENT' ? new Error(NOT_INSTALLED, { cause: error }) : error));
    child.once('exit', (code, signal) => resolve(new Error(`redis-server exited before it was ready (code ${code}, signal ${signal}):\n${output.slice(-2000)}`)));
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  for (;;) {
    const outcome = await Promise.race([ping(port).then((ok) => (ok ? 'ready' : 'retry')), exited]);
    if (outcome instanceof Error) throw outcome;
    if (outcome === 'ready') break;
    if (Date.now() > deadline) {
      await stopProcess(child);
      throw new Error(`redis-server on port ${port} did not answer PING within ${options.readyTimeoutMs ?? 10_000} ms:\n${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { port, url: `redis://127.0.0.1:${port}`, stop: () => stopProcess(child) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** True when something on the port answers a RESP PING with PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** Stops `child` with SIGTERM, then SIGKILL after 5 s, and resolves when it has exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
