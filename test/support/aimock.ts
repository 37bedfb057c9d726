import type { IncomingMessage, ServerResponse } from 'node:http';
import { LLMock } from '@copilotkit/aimock';
import type { JournalEntry, MockServerOptions } from '@copilotkit/aimock';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * One exact HTTP reply served by the raw route, for wire details aimock fixtures cannot express
 * (custom headers such as `retry-after-ms`, cache-token usage fields, OpenAI `message.refusal`).
 */
export interface RawReply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent verbatim; anything else as JSON. */
  readonly body?: unknown;
  /** Default `application/json`; use `text/event-stream` with a string body for SSE. */
  readonly contentType?: string;
  /**
   * Cuts the connection mid-reply: the body is written but the response never ends; the socket is
   * destroyed once this promise settles. Settle it after the client has received what it must see
   * first (e.g. the first text delta), so the cut never races the delivery, however loaded the machine.
   */
  readonly dropWhen?: Promise<unknown>;
}

/** A request the raw route received. */
export interface RawRequest {
  readonly method: string;
  /** Path below the route's prefix, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

/**
 * A route on the aimock server (mounted at `/raw`) that answers with queued replies, in order,
 * and records each request. Point an SDK at `baseURL` (OpenAI: `openaiBaseURL`).
 */
export interface RawRoute {
  /** Root for the Anthropic SDK (`<server>/raw`). */
  readonly baseURL: string;
  /** Root for the OpenAI SDK (`<server>/raw/v1`). */
  readonly openaiBaseURL: string;
  /** Queues replies; each request takes the next one. An empty queue answers 599. */
  reply(...replies: RawReply[]): void;
  readonly requests: readonly RawRequest[];
}

/** A running aimock server on a free loopback port, with the base URLs each SDK expects. */
export interface AimockServer {
  readonly mock: LLMock;
  /** Server root, e.g. `http://127.0.0.1:53211`. */
  readonly url: string;
  /** Base URL for the OpenAI SDK (`<root>/v1`). */
  readonly openaiBaseURL: string;
  /** Base URL for the Anthropic SDK (the root; the SDK appends `/v1/messages`). */
  readonly anthropicBaseURL: string;
  /** Request bodies the model endpoints received, oldest first (control routes excluded). */
  modelRequests(): Record<string, unknown>[];
  /** Journal entries of the model endpoints (status, headers, body), oldest first. */
  modelEntries(): JournalEntry[];
  /** Exact-reply route (`/raw`), for wire details fixtures cannot express. */
  readonly raw: RawRoute;
  /** Forgets fixtures, journal, match counts and queued raw replies, so one server can serve many tests. */
  reset(): void;
  stop(): Promise<void>;
}

const RAW_PREFIX = '/raw';
const MODEL_PATHS = ['/v1/chat/completions', '/v1/messages'];

/** Starts aimock on port 0 (a free port). Call `stop()` when done. */
export async function startAimock(options: MockServerOptions = {}): Promise<AimockServer> {
  const mock = new LLMock({ port: 0, host: '127.0.0.1', logLevel: 'silent', journalMaxEntries: 0, ...options });
  const queue: RawReply[] = [];
  const requests: RawRequest[] = [];
  // Replies waiting for their `dropWhen`: dropped on reset/stop, so a failed test cannot leave one open.
  const held = new Set<ServerResponse>();
  const dropHeld = () => {
    for (const res of held) res.destroy();
    held.clear();
  };
  mock.mount(RAW_PREFIX, {
    async handleRequest(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the raw text: the test may be checking exactly that
      }
      requests.push({ method: req.method ?? 'GET', path: pathname, headers: req.headers, body });
      const next = queue.shift() ?? { status: 599, body: { error: { message: 'raw route: no reply queued' } } };
      const payload = typeof next.body === 'string' ? next.body : JSON.stringify(next.body ?? {});
      res.writeHead(next.status ?? 200, { 'content-type': next.contentType ?? 'application/json', ...next.headers });
      if (next.dropWhen) {
        res.write(payload);
        held.add(res);
        const drop = () => {
          held.delete(res);
          res.destroy();
        };
        next.dropWhen.then(drop, drop);
        return true;
      }
      res.end(payload);
      return true;
    },
  });
  await mock.start();
  const url = mock.url.replace(/\/$/, '');
  const raw: RawRoute = {
    baseURL: `${url}${RAW_PREFIX}`,
    openaiBaseURL: `${url}${RAW_PREFIX}/v1`,
    reply: (...replies) => void queue.push(...replies),
    requests,
  };
  const modelEntries = () => mock.getRequests().filter((entry) => MODEL_PATHS.some((p) => entry.path.startsWith(p)));
  return {
    mock,
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    modelEntries,
    modelRequests: () => modelEntries().map((entry) => (entry.body ?? {}) as Record<string, unknown>),
    raw,
    reset() {
      dropHeld();
      queue.length = 0;
      requests.length = 0;
      mock.clearFixtures();
      mock.clearRequests();
      mock.resetMatchCounts();
    },
    stop: () => {
      dropHeld();
      return mock.stop();
    },
  };
}

/**
 * Vitest helper: one aimock server for the file (started in `beforeAll`, stopped in `afterAll`),
 * reset before each test. Read `server()` inside tests, not at module level.
 */
export function useAimock(options: MockServerOptions = {}): () => AimockServer {
  let server: AimockServer | undefined;
  beforeAll(async () => {
    server = await startAimock(options);
  });
  beforeEach(() => server?.reset());
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('aimock server not started: call server() inside a test or hook');
    return server;
  };
}
