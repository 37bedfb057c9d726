import { AbortedError } from '../../errors/taskforce-error.js';
import type { ProviderModel, ProviderRequest, ProviderResult, ProviderStreamPart } from '../types.js';
import { CassetteFileError, CassetteMissError } from './errors.js';
import { appendCassetteEntries, ensureCassetteHeader, readCassette, type Cassette } from './file.js';
import { CASSETTE_SCHEMA_VERSION, type CassetteEntry, type CassetteHeader, type CassetteResponse } from './format.js';
import { recordableRequest, requestHash } from './hash.js';

/** Where a cassette lives and whether calls are recorded into it or answered from it. */
export interface CassetteOptions {
  /** `record`: call the provider and append each request and reply. `replay`: answer from the file, offline. */
  readonly mode: 'record' | 'replay';
  /** The JSONL file. */
  readonly path: string;
}

/**
 * Records calls into, or replays them from, a JSONL cassette. `undefined` returns the provider unchanged.
 *
 * Record mode passes every call through and appends `{request, response}` (streams with their deltas,
 * so replay streams the same chunks); a new file starts with a header whose `source` is `recorded`
 * (`scripted` when the provider is the scripted model). Replay mode never calls the provider: it
 * matches each request by `requestHash` and answers deterministically; the same request asked again
 * gets the next recorded reply for it, and the last one once they run out. A request not in the
 * cassette is a `CassetteMissError`.
 *
 * @example
 * ```ts
 * const provider = withCassette(anthropic, { mode: 'replay', path: 'cassettes/plan-demo.jsonl' });
 * const model = modelFromProvider(provider);
 * ```
 */
export function withCassette(provider: ProviderModel, cassette: CassetteOptions | undefined): ProviderModel {
  if (!cassette) return provider;
  return cassette.mode === 'record' ? recorder(provider, cassette.path) : player(provider, cassette.path);
}

function recorder(provider: ProviderModel, path: string): ProviderModel {
  const header: CassetteHeader = {
    $schemaVersion: CASSETTE_SCHEMA_VERSION,
    type: 'taskforce.cassette',
    source: provider.provider === 'scripted' ? 'scripted' : 'recorded',
  };
  // Writes go one after another, in the order calls finished, each after the header is in place.
  let writes: Promise<unknown> = Promise.resolve();
  let headerReady: Promise<unknown> | undefined;
  const write = (request: ProviderRequest, response: CassetteResponse): Promise<void> => {
    headerReady ??= ensureCassetteHeader(path, header).then((found) => {
      // A demo says which it replays from the header, so it must not mix real and scripted replies.
      if (found.source !== header.source)
        throw new CassetteFileError(path, 1, `the header says the replies are "${found.source}" but these are "${header.source}"; record into a new file`);
    });
    const entry: CassetteEntry = {
      hash: requestHash(provider, request),
      provider: provider.provider,
      model: provider.modelId,
      request: recordableRequest(request),
      response,
    };
    const done = Promise.all([headerReady, writes]).then(() => appendCassetteEntries(path, [entry]));
    // A failed write is reported to its own caller; later writes still run.
    writes = done.catch(() => undefined);
    return done;
  };
  return {
    ...describe(provider),
    // Recording calls the provider; replaying never does, so it has nothing to connect.
    ...(provider.connect ? { connect: () => provider.connect!() } : {}),
    async doGenerate(request) {
      const result = await provider.doGenerate(request);
      await write(request, { kind: 'generate', result });
      return result;
    },
    async *doStream(request) {
      const parts: ProviderStreamPart[] = [];
      for await (const part of provider.doStream(request)) {
        parts.push(part);
        // Saved before the last part is handed on, so a consumer that stops at `finish` still gets it recorded.
        if (part.type === 'finish') await write(request, { kind: 'stream', parts });
        yield part;
      }
    },
  };
}

function player(provider: ProviderModel, path: string): ProviderModel {
  let loaded: Promise<Cassette> | undefined;
  const served = new Map<string, number>();
  const lookup = async (request: ProviderRequest): Promise<CassetteResponse> => {
    if (request.signal?.aborted) throw new AbortedError(undefined, { cause: request.signal.reason });
    loaded ??= readCassette(path);
    const cassette = await loaded;
    const hash = requestHash(provider, request);
    const matches = cassette.entries.filter((entry) => entry.hash === hash);
    const index = served.get(hash) ?? 0;
    const entry = matches[Math.min(index, matches.length - 1)];
    if (!entry)
      throw new CassetteMissError({
        hash,
        path,
        entries: cassette.entries.length,
        model: `${provider.provider}/${provider.modelId}`,
        preview: firstWords(request.messages.at(-1)?.content ?? '', 12),
      });
    served.set(hash, index + 1);
    return entry.response;
  };
  return {
    ...describe(provider),
    async doGenerate(request) {
      return resultOf(await lookup(request), path);
    },
    async *doStream(request) {
      const response = await lookup(request);
      if (response.kind === 'stream') {
        for (const part of response.parts) yield part;
        return;
      }
      if (response.result.text) yield { type: 'text-delta', text: response.result.text };
      yield { type: 'finish', result: response.result };
    },
  };
}

function describe(provider: ProviderModel): Omit<ProviderModel, 'doGenerate' | 'doStream'> {
  return {
    provider: provider.provider,
    modelId: provider.modelId,
    structuredMode: provider.structuredMode,
    ...(provider.endpoint !== undefined ? { endpoint: provider.endpoint } : {}),
  };
}

/** The final result of a recorded reply, whether it was recorded from `generate` or from a stream. */
function resultOf(response: CassetteResponse, path: string): ProviderResult {
  if (response.kind === 'generate') return response.result;
  const finish = response.parts.at(-1);
  // The format guarantees a final `finish` part; this guards hand-built data that skipped parsing.
  if (finish?.type !== 'finish') throw new CassetteFileError(path, undefined, 'a recorded stream has no final "finish" part');
  return finish.result;
}

function firstWords(text: string, count: number): string {
  const words = text.trim().split(/\s+/);
  return words.length > count ? `${words.slice(0, count).join(' ')}…` : words.join(' ');
}
