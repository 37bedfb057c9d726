import { createHash } from 'node:crypto';
import { canonicalJson } from '../model/cassette/hash.js';
import type { GenerateRequest, GenerateResult, Model, StreamPart } from '../model/types.js';
import { requestMessages } from '../model/types.js';
import { generateObjectWith } from '../model/structured.js';
import type { RunJournal } from './journal.js';

/**
 * The model-chain link of a durable run, innermost (just above the model): a call whose result an
 * earlier process journaled is answered from the journal, without a provider request; any other call
 * goes to the model and its result is journaled before it is returned.
 *
 * A call is known by its node (`path`), the digest of what decides its reply, and its occurrence (the
 * n-th call with that digest at that node), so a re-run agent loop meets its earlier calls in order.
 * `maxTokens` is left out of the digest: the budget link lowers it to what is left, which depends on
 * how concurrent calls interleaved.
 */
export function journaledModel(model: Model, journal: RunJournal, path: string): Model {
  const keyOf = (request: GenerateRequest): string => {
    const { signal: _s, tags: _t, maxTokens: _m, prompt: _p, messages: _msgs, ...rest } = request;
    const digest = createHash('sha256')
      .update(canonicalJson({ provider: model.provider, model: model.modelId, messages: requestMessages(request), ...rest }))
      .digest('hex')
      .slice(0, 32);
    return `${digest}#${journal.nextOccurrence(path, digest)}`;
  };
  const generate = async (request: GenerateRequest): Promise<GenerateResult> => {
    const key = keyOf(request);
    const recorded = journal.get<GenerateResult>('model.call', path, key);
    if (recorded) {
      journal.replayedCalls++;
      return recorded;
    }
    const result = await model.generate(request);
    await journal.append('model.call', path, key, result);
    return result;
  };
  return {
    provider: model.provider,
    modelId: model.modelId,
    ...(model.price ? { price: model.price } : {}),
    generate,
    // Only reached without a budget link (which turns an object call into generate calls); the repair
    // loop then runs here, so each attempt is journaled on its own.
    generateObject: (request) => generateObjectWith(generate, request, { provider: model.provider, callId: `${model.provider}:journaled-object` }),
    async *stream(request: GenerateRequest): AsyncIterable<StreamPart> {
      const key = keyOf(request);
      const recorded = journal.get<GenerateResult>('model.call', path, key);
      if (recorded) {
        journal.replayedCalls++;
        if (recorded.text) yield { type: 'text-delta', text: recorded.text };
        yield { type: 'finish', result: recorded };
        return;
      }
      for await (const part of model.stream(request)) {
        if (part.type === 'finish') await journal.append('model.call', path, key, part.result);
        yield part;
      }
    },
  };
}
