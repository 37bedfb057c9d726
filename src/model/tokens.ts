import { get_encoding, type Tiktoken } from 'tiktoken';
import type { Message, ToolSpec } from './types.js';

// The encoder is immutable once built and costs ~200 ms to build, so one per process is shared.
// It holds no run state, so two runtimes still never see each other.
let encoder: Tiktoken | undefined;

function getEncoder(): Tiktoken {
  encoder ??= get_encoding('o200k_base');
  return encoder;
}

/** Number of tokens in `text` (o200k_base, the GPT-4o/5 encoding; a close estimate for other models). */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return getEncoder().encode_ordinary(text).length;
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
