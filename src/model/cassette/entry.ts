import type { ProviderRequest } from '../types.js';
import type { CassetteEntry, CassetteResponse } from './format.js';
import { recordableRequest, requestHash } from './hash.js';

/**
 * Builds a cassette entry for `request` to `model`, with its hash: for scripted cassettes written in code
 * (pair it with `writeCassette` and a header whose `source` is `scripted`).
 *
 * @example
 * ```ts
 * await writeCassette('cassettes/demo.jsonl', {
 *   header: { $schemaVersion: 1, type: 'taskforce.cassette', source: 'scripted' },
 *   entries: [cassetteEntry({ provider: 'anthropic', modelId: 'claude-haiku-4-5' },
 *     { messages: [{ role: 'user', content: 'Hi' }] },
 *     { kind: 'generate', result: { text: 'Hello!', toolCalls: [], usage: { inputTokens: 8, outputTokens: 2 }, stopReason: 'end_turn', modelId: 'claude-haiku-4-5' } })],
 * });
 * ```
 */
export function cassetteEntry(
  model: { readonly provider: string; readonly modelId: string },
  request: ProviderRequest,
  response: CassetteResponse,
): CassetteEntry {
  return {
    hash: requestHash(model, request),
    provider: model.provider,
    model: model.modelId,
    request: recordableRequest(request),
    response,
  };
}
