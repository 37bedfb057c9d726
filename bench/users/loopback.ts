/**
 * A loopback OpenAI-compatible server: answers every `POST /v1/chat/completions` with a minimal
 * reply (plain JSON, or SSE when the request streams) and records when the first request arrived,
 * on this process's `performance.now()` clock.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface Loopback {
  /** Base URL for the SDK, ending in `/v1`. */
  readonly baseURL: string;
  /** `performance.now()` when the first chat request since the last `reset()` arrived. */
  readonly firstRequestAt: number | undefined;
  reset(): void;
  close(): Promise<void>;
}

const COMPLETION = { id: 'chatcmpl-bench', created: 0, model: 'gpt-4o-mini' };
const USAGE = { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 };

export async function startLoopback(): Promise<Loopback> {
  let firstRequestAt: number | undefined;
  const server = createServer((request, response) => {
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) return void response.writeHead(404).end();
    firstRequestAt ??= performance.now();
    void answer(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    get firstRequestAt() {
      return firstRequestAt;
    },
    reset: () => (firstRequestAt = undefined),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  const streams = (JSON.parse(body) as { stream?: boolean }).stream === true;
  if (!streams) {
    const message = { role: 'assistant', content: 'ok' };
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ...COMPLETION, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: 'stop' }], usage: USAGE }));
    return;
  }
  const chunk = (extra: object) => `data: ${JSON.stringify({ ...COMPLETION, object: 'chat.completion.chunk', ...extra })}\n\n`;
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.write(chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'ok' }, finish_reason: null }] }));
  response.write(chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
  response.write(chunk({ choices: [], usage: USAGE }));
  response.end('data: [DONE]\n\n');
}
