import type { GenerateRequest, GenerateResult, Model } from '../../src/model/types.js';

/** Runs `model.stream` to the end: the text deltas in order and the `finish` result. */
export async function collectStream(model: Model, request: GenerateRequest): Promise<{ deltas: string[]; result: GenerateResult }> {
  const deltas: string[] = [];
  let result: GenerateResult | undefined;
  for await (const part of model.stream(request)) {
    if (part.type === 'text-delta') deltas.push(part.text);
    else result = part.result;
  }
  if (!result) throw new Error('stream ended without a finish part');
  return { deltas, result };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Drains an async iterable, for streams expected to fail. */
export async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable);
}

/** Runs a stream expected to fail: the deltas that arrived first, and the error. */
export async function streamUntilError(model: Model, request: GenerateRequest): Promise<{ deltas: string[]; error: Error & Record<string, unknown> }> {
  const deltas: string[] = [];
  const error = await rejectionOf(
    (async () => {
      for await (const part of model.stream(request)) if (part.type === 'text-delta') deltas.push(part.text);
    })(),
  );
  return { deltas, error };
}
