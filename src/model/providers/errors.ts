import { ModelApiError, ModelConnectionError, ModelResponseError } from '../../errors/model-errors.js';
import { AbortedError, TaskforceError } from '../../errors/taskforce-error.js';
import { retryAfterMsFromHeaders } from './retry-after.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error classes of one Stainless-generated SDK (`@anthropic-ai/sdk`, `openai`): same shapes, distinct classes. */
export interface SdkErrorClasses {
  readonly APIError: ErrorClass;
  readonly APIConnectionError: ErrorClass;
  readonly APIUserAbortError: ErrorClass;
}

/** Where an error happened, so the mapped error can say so. */
export interface ProviderErrorContext {
  readonly provider: string;
  /** Current time in ms (the runtime clock), for `retry-after` HTTP dates and reset timestamps. */
  readonly now: () => number;
  /** The call's signal: an abort that surfaces as some other error is still an abort. */
  readonly signal?: AbortSignal | undefined;
  /** The model's configured API key, masked wherever a provider echoes it (see `maskSecrets`). */
  readonly apiKey?: string | undefined;
}

/**
 * Maps whatever an SDK call threw to the one error vocabulary the layers above understand:
 * `AbortedError` (the signal fired), `ModelConnectionError` (no response, or the stream broke),
 * `ModelApiError` (an HTTP error status, with headers and `retryAfterMs`), `ModelResponseError`
 * (a body that is not the JSON the SDK expected). Errors that are already Taskforce errors, and
 * programming errors we cannot classify, pass through unchanged.
 */
export function mapSdkError(error: unknown, sdk: SdkErrorClasses, context: ProviderErrorContext): unknown {
  if (TaskforceError.isInstance(error)) return error;
  const { provider } = context;
  const secrets = secretsOf(context);
  if (error instanceof sdk.APIUserAbortError || context.signal?.aborted || isAbortError(error))
    return new AbortedError(`${provider} call was aborted`, { cause: context.signal?.reason ?? error });
  if (error instanceof sdk.APIConnectionError || isConnectionFailure(error)) {
    const cause = (error as Error).cause;
    const detail = cause instanceof Error && cause.message ? `${(error as Error).message} (${cause.message})` : (error as Error).message;
    return new ModelConnectionError(provider, maskSecrets(detail, secrets), { cause: maskCause(error, secrets) });
  }
  if (error instanceof sdk.APIError) {
    const apiError = error as Error & { status?: unknown; headers?: unknown; error?: unknown };
    if (typeof apiError.status === 'number') return httpError(provider, apiError.status, apiError, context.now(), secrets);
  }
  if (error instanceof SyntaxError)
    return new ModelResponseError(provider, maskSecrets(error.message, secrets), undefined, { cause: maskCause(error, secrets) });
  return error;
}

/**
 * The error for a 200 reply that is not what the API returns (an HTML page from a proxy, JSON without
 * the message's fields): `problem` says what was missing; `body` is kept, masked and cut, as `raw`.
 */
export function unreadableResponse(context: Pick<ProviderErrorContext, 'provider' | 'apiKey'>, problem: string, body: unknown): ModelResponseError {
  const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? String(body));
  return new ModelResponseError(context.provider, problem, maskSecrets(text, secretsOf(context)).slice(0, 2000));
}

/** Builds a `ModelApiError` from a status, headers and an error body (any provider's shape). */
export function httpError(
  provider: string,
  status: number,
  source: { message: string; headers?: unknown; error?: unknown },
  now: number,
  secrets: readonly string[] = [],
): ModelApiError {
  const headers = headerRecord(source.headers);
  const retryAfterMs = retryAfterMsFromHeaders(headers, status, now);
  for (const [name, value] of Object.entries(headers)) headers[name] = maskSecrets(value, secrets);
  return new ModelApiError({
    provider,
    status,
    message: maskSecrets(bodyMessage(source.error) ?? source.message.replace(/^\d{3}\s+/, ''), secrets),
    headers,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    cause: maskCause(source, secrets),
  });
}

/** Anything shaped like an OpenAI (`sk-…`, `sk-proj-…`) or Anthropic (`sk-ant-…`) key. */
const KEY_SHAPE = /\bsk-(?:ant-)?[A-Za-z0-9_-]{8,}/g;
/** Shorter configured keys (`ollama`, `test`) are placeholders, and masking them would mangle ordinary words. */
const MIN_SECRET_LENGTH = 8;

/**
 * `text` with API keys masked: each of `secrets` (a model's configured key) and anything shaped like an
 * `sk-…` / `sk-ant-…` key, keeping only the prefix and the last 4 characters (`sk-ant-…abcd`), enough
 * to tell which key was used. Providers echo keys in error bodies ("Incorrect API key provided: sk-…");
 * every error the model layer builds from a provider's reply passes its text through here, so neither
 * messages nor the events and traces made from them carry a key.
 */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
  let masked = text;
  for (const secret of secrets) if (secret.length >= MIN_SECRET_LENGTH) masked = masked.split(secret).join(maskKey(secret));
  return masked.replace(KEY_SHAPE, maskKey);
}

function maskKey(key: string): string {
  const prefix = /^sk-(?:ant-)?/.exec(key)?.[0] ?? '';
  return `${prefix}…${key.length - prefix.length > 8 ? key.slice(-4) : ''}`;
}

function secretsOf(context: Pick<ProviderErrorContext, 'apiKey'>): string[] {
  return context.apiKey ? [context.apiKey] : [];
}

/**
 * The SDK's error, kept as `cause` (its class, request id and stack help debugging), with keys masked in
 * its message, stack and error body too: printing the error with its cause chain must not show them.
 * It is the error we caught, held by nothing else, so masking it in place changes nobody's data.
 */
function maskCause<T>(error: T, secrets: readonly string[]): T {
  if (!(error instanceof Error)) return error;
  const target = error as Error & { error?: unknown };
  target.message = maskSecrets(target.message, secrets);
  if (target.stack) target.stack = maskSecrets(target.stack, secrets);
  if (target.error !== undefined && target.error !== null && typeof target.error === 'object') {
    const body = JSON.stringify(target.error);
    if (body !== undefined && maskSecrets(body, secrets) !== body) target.error = JSON.parse(maskSecrets(body, secrets));
  }
  return error;
}

/** Lower-cased header record from a fetch `Headers`, a plain object, or nothing. */
export function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers || typeof headers !== 'object') return out;
  const entries =
    typeof (headers as Headers).entries === 'function'
      ? [...(headers as Headers).entries()]
      : Object.entries(headers as Record<string, unknown>);
  for (const [name, value] of entries) if (value !== undefined && value !== null) out[name.toLowerCase()] = String(value);
  return out;
}

const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * A network failure that reached us without the SDK's wrapping: once a streamed body is being read,
 * a dropped socket surfaces from undici as `TypeError: terminated` (cause `UND_ERR_SOCKET`), not as
 * the SDK's `APIConnectionError`.
 */
export function isConnectionFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || code.startsWith('UND_ERR_'))) return true;
    if (current instanceof TypeError && (current.message === 'terminated' || current.message === 'fetch failed')) return true;
  }
  return false;
}

/** An abort surfaced by fetch/undici or LangChain rather than the SDK's own abort class. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.message === 'Aborted' || error.message === 'AbortError');
}

/** `error.message` of an OpenAI (`{error:{message}}`) or Anthropic (`{type:'error', error:{message}}`) error body. */
function bodyMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as { message?: unknown; error?: { message?: unknown } };
  if (typeof record.error?.message === 'string') return record.error.message;
  if (typeof record.message === 'string') return record.message;
  return undefined;
}
