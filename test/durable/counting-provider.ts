import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonicalJson } from '../../src/model/cassette/hash.js';

/** One chat-completions request the server received. */
export interface ReceivedRequest {
  /** Who sent it: the first segment of the path (`/<client>/v1/chat/completions`), one per process. */
  readonly client: string;
  /** 1, 2, 3... per client, in arrival order. */
  readonly n: number;
  /** The request body as canonical JSON: equal bodies, equal text. */
  readonly body: string;
  readonly kind: 'planner' | 'synthesizer' | 'critic' | 'reviser' | 'worker';
  /** The reply's text (set when it is answered). */
  reply?: string;
  /** The tokens the reply reports, as billed (set when it is answered). */
  usage?: { readonly inputTokens: number; readonly outputTokens: number };
  /** When it arrived (ms since the epoch). */
  readonly at: number;
}

/** What to do with a request when it arrives: answer it, or hold it unanswered (the hook kills its client). */
export type OnArrival = (request: ReceivedRequest) => 'answer' | 'hold';

/**
 * A small OpenAI-compatible chat-completions server on loopback that answers like a deterministic team
 * (the planner with a fixed plan, each worker with a line about its task, the synthesizer merging the
 * results it is given, one round of critique and revision) and records every request with the client
 * that sent it (each process gets a base URL of its own), so a test can count what a process sent.
 * `onArrival` and `onAnswered` let a test act at a precise point: before a request is answered, or
 * right after its reply was written.
 */
export class CountingProvider {
  readonly requests: ReceivedRequest[] = [];
  onArrival: OnArrival = () => 'answer';
  onAnswered: (request: ReceivedRequest) => void = () => undefined;
  private readonly server: Server;
  private readonly held = new Set<ServerResponse>();

  constructor(
    private readonly plan: unknown,
    /** How long each reply takes (a real provider's latency). */
    private readonly latencyMs = 0,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Starts listening; `baseURL(client)` is then the OpenAI base URL a client process is given. */
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  baseURL(client: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${client}/v1`;
  }

  /** The requests one client sent, in arrival order. */
  from(client: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.client === client);
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as ChatBody;
    const client = (req.url ?? '').split('/')[1] ?? '';
    const request: ReceivedRequest = { client, n: this.from(client).length + 1, body: canonicalJson(body), kind: kindOf(body), at: Date.now() };
    this.requests.push(request);
    if (this.onArrival(request) === 'hold') {
      // Never answered: the client is killed while it waits.
      this.held.add(res);
      return;
    }
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const content = (request.reply = this.reply(request.kind, body));
    const usage = { prompt_tokens: Math.ceil(raw.length / 4), completion_tokens: Math.ceil(content.length / 4), total_tokens: 0 };
    request.usage = { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
    const base = { id: `chatcmpl-${request.n}`, created: 0, model: body.model };
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const event = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
      event({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }] });
      event({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      event({ ...base, object: 'chat.completion.chunk', choices: [], usage });
      res.end('data: [DONE]\n\n', () => this.onAnswered(request));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage }),
      () => this.onAnswered(request),
    );
  }

  private reply(kind: ReceivedRequest['kind'], body: ChatBody): string {
    const user = firstUser(body);
    if (kind === 'planner') return JSON.stringify(this.plan);
    if (kind === 'synthesizer') {
      const ids = [...user.matchAll(/<result id="([^"]+)"/g)].map((m) => m[1]!);
      return ids.map((id) => `Part ${id} is in. [${id}]`).join('\n\n');
    }
    // One refine round: the first critique asks for a change, the critique of the revision has none.
    if (kind === 'critic') return user.includes('(revised)') ? 'NO CHANGES' : 'Say when the census was taken.';
    if (kind === 'reviser') return `${user.split('## Answer')[1]?.split('## Critique')[0]?.trim() ?? ''}\n\nTaken this spring. (revised)`;
    const title = /Your task: (.*)/.exec(user)?.[1]?.trim() ?? 'unknown';
    return `Report on ${title}: done carefully.`;
  }
}

interface ChatBody {
  readonly model: string;
  readonly stream?: boolean;
  readonly messages: readonly { readonly role: string; readonly content: unknown }[];
  readonly response_format?: { readonly json_schema?: { readonly name?: string } };
}

function firstUser(body: ChatBody): string {
  const content = body.messages.find((m) => m.role === 'user')?.content;
  return typeof content === 'string' ? content : JSON.stringify(content ?? '');
}

function kindOf(body: ChatBody): ReceivedRequest['kind'] {
  if (body.response_format?.json_schema?.name === 'plan') return 'planner';
  const user = firstUser(body);
  if (user.startsWith('You are the synthesizer')) return 'synthesizer';
  if (user.startsWith('You are the critic')) return 'critic';
  return user.startsWith('You are revising') ? 'reviser' : 'worker';
}
