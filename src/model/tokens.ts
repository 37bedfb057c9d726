import type { Message, ToolSpec } from './types.js';

/**
 * UTF-8 bytes per token this estimate assumes. Real tokenizers average about 4 bytes a token on English
 * prose and 3 on code; at 3 the estimate errs high for most text, so a budget reservation or a rate
 * limit charged with it covers the provider's count. Exact counts come from the provider's usage.
 */
const BYTES_PER_TOKEN = 3;

/**
 * Estimated tokens in `text`, from its UTF-8 size: constant work per byte and no tokenizer to load, so
 * a 100K-token prompt is estimated in well under a millisecond. Text that tokenizes at under 3 bytes a
 * token (long runs of emoji, unusual scripts) can count higher with a real tokenizer.
 */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(Buffer.byteLength(text, 'utf8') / BYTES_PER_TOKEN);
}

/** Per-message framing the chat formats add around content (OpenAI documents ~3-4 tokens). */
const MESSAGE_OVERHEAD = 4;

/** Estimated input tokens of a request: system, messages, tool definitions. */
export function estimateInputTokens(input: {
  system?: string;
  messages: readonly Message[];
  tools?: readonly ToolSpec[];
}): number {
  let total = input.system ? countTokens(input.system) + MESSAGE_OVERHEAD : 0;
  for (const m of input.messages) {
    total += MESSAGE_OVERHEAD + countTokens(m.content);
    if (m.role === 'assistant' && m.toolCalls)
      for (const call of m.toolCalls) total += countTokens(call.name) + countTokens(JSON.stringify(call.input ?? null));
  }
  for (const tool of input.tools ?? [])
    total += countTokens(tool.name) + countTokens(tool.description) + countTokens(JSON.stringify(tool.inputSchema));
  return total;
}
