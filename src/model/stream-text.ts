import type { GenerateRequest, GenerateResult, Model } from './types.js';

/**
 * `model.generate(request)`, but through `model.stream`, handing each piece of text to `onText` as it
 * arrives. Resolves with the same result `generate` gives (the stream's `finish` part).
 */
export async function generateWithText(model: Model, request: GenerateRequest, onText: (text: string) => void): Promise<GenerateResult> {
  let result: GenerateResult | undefined;
  for await (const part of model.stream(request)) {
    if (part.type === 'text-delta') onText(part.text);
    else result = part.result;
  }
  if (!result) throw new Error(`internal: the stream of ${model.provider}:${model.modelId} ended without a finish part`);
  return result;
}
