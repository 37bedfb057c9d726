/**
 * How long a provider asked us to wait before retrying, read from its response headers.
 *
 * Order of trust: `retry-after-ms` (OpenAI, Anthropic), then `retry-after` (seconds or an HTTP
 * date), then — only for a 429 — the rate-limit reset headers (`anthropic-ratelimit-*-reset`, an
 * RFC 3339 time; `x-ratelimit-reset-requests` / `-tokens`, a Go-style duration such as `"6m0s"`).
 * The reset headers come on every OpenAI response, so reading them for a 500 would make a retry wait
 * for a rate window that was never the problem.
 *
 * @param headers lower-cased header names
 * @param status HTTP status of the response
 * @param now current time in ms since the epoch (from the runtime clock), for date-valued headers
 * @returns milliseconds to wait (≥ 0), or `undefined` when the headers say nothing usable
 */
export function retryAfterMsFromHeaders(
  headers: Readonly<Record<string, string>>,
  status: number,
  now: number,
): number | undefined {
  const ms = numberOrUndefined(headers['retry-after-ms']);
  if (ms !== undefined && ms >= 0) return ms;

  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = numberOrUndefined(retryAfter);
    if (seconds !== undefined && seconds >= 0) return seconds * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }

  if (status !== 429) return undefined;
  const waits: number[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (/^anthropic-ratelimit-.*-reset$/.test(name)) {
      const at = Date.parse(value);
      if (!Number.isNaN(at)) waits.push(Math.max(0, at - now));
    } else if (name === 'x-ratelimit-reset-requests' || name === 'x-ratelimit-reset-tokens') {
      const duration = parseDuration(value);
      if (duration !== undefined) waits.push(duration);
    }
  }
  // Several limits can be exhausted at once; only the latest reset frees all of them.
  return waits.length > 0 ? Math.max(...waits) : undefined;
}

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

/**
 * Parses a Go-style duration as OpenAI sends it (`"1s"`, `"6m0s"`, `"1h2m3.5s"`, `"120ms"`), or a bare
 * number of seconds. Returns milliseconds, or `undefined` if the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  const bare = numberOrUndefined(trimmed);
  if (bare !== undefined) return bare * 1000;
  const part = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * (UNIT_MS[match[2]!] ?? 0);
    consumed = part.lastIndex;
  }
  return consumed > 0 && consumed === trimmed.length ? total : undefined;
}

function numberOrUndefined(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}
