import { createHash } from 'node:crypto';
import type { ProviderRequest } from '../types.js';

/**
 * JSON with object keys sorted at every depth, so equal data always gives equal text. Like
 * `JSON.stringify`, it drops `undefined` object fields and writes `undefined` array items as `null`.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) out[key] = sortKeys(field);
  }
  return out;
}

/**
 * The part of a request that decides the reply: everything but the transport details (`signal`,
 * `callId`) and event `tags`, which `modelFromProvider` strips but a hand-built request may still carry.
 */
export function recordableRequest(request: ProviderRequest): Record<string, unknown> {
  const { signal: _signal, callId: _callId, tags: _tags, ...rest } = request as ProviderRequest & { readonly tags?: unknown };
  return JSON.parse(canonicalJson(rest)) as Record<string, unknown>;
}

/** Stable SHA-256 (hex) of a request to one model: what replay matches on. */
export function requestHash(model: { provider: string; modelId: string }, request: ProviderRequest): string {
  return createHash('sha256')
    .update(canonicalJson({ provider: model.provider, model: model.modelId, request: recordableRequest(request) }))
    .digest('hex');
}
