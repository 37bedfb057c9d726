/**
 * Provider wire bodies for aimock's raw route (`server().raw.reply(...)`): exact JSON and SSE for the
 * details fixtures cannot express, such as cache-token usage, refusals and streams cut mid-reply.
 */

/** An Anthropic Messages API response body. */
export function anthropicMessage(content: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-haiku-4-5-20251001',
    content,
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
    ...extra,
  };
}

/** An Anthropic SSE body from its events (each event's `type` is also its SSE event name). */
export function anthropicSSE(events: readonly Record<string, unknown>[]): string {
  return events.map((event) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`).join('');
}

/** The SSE of an Anthropic reply that has streamed `texts` and not finished (no `message_stop`). */
export function anthropicUnfinishedStream(texts: readonly string[]): string {
  return anthropicSSE([
    { type: 'message_start', message: anthropicMessage([], { stop_reason: null }) },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ...texts.map((text) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
  ]);
}

/** An OpenAI `chat.completion` body with one choice. */
export function openaiCompletion(
  message: Record<string, unknown>,
  extra: { readonly model?: string; readonly usage?: Record<string, unknown>; readonly finishReason?: string } = {},
): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 0,
    model: extra.model ?? 'gpt-5-mini',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: extra.finishReason ?? 'stop', logprobs: null }],
    ...(extra.usage ? { usage: extra.usage } : {}),
  };
}

/** An OpenAI `chat.completion.chunk` carrying `delta`. */
export function openaiChunk(delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> {
  return { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'gpt-5-mini', choices: [{ index: 0, delta, finish_reason: finishReason }] };
}

/** An OpenAI SSE body from chunks (no `[DONE]`: add it when the stream should end cleanly). */
export function openaiSSE(chunks: readonly Record<string, unknown>[]): string {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('');
}

/** The SSE of an OpenAI reply that has streamed `texts` and not finished (no `finish_reason`). */
export function openaiUnfinishedStream(texts: readonly string[]): string {
  return openaiSSE([openaiChunk({ role: 'assistant', content: '' }), ...texts.map((content) => openaiChunk({ content }))]);
}
