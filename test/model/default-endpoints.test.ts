import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { anthropicProvider, openaiProvider } from '../../src/model/providers/index.js';

/** A fetch that records the URL it was asked for, then fails (nothing leaves the machine). */
function recordingFetch(urls: string[]): typeof fetch {
  return async (input) => {
    urls.push(String(input instanceof Request ? input.url : input));
    throw new TypeError('offline test');
  };
}

describe('default endpoints', () => {
  it('leave the provider endpoint to the SDK when no base URL is configured', async () => {
    const urls: string[] = [];
    const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
    await anthropicProvider({ model: 'claude-haiku-4-5', apiKey: 'k', fetch: recordingFetch(urls) }).doGenerate(request).catch(() => undefined);
    await openaiProvider({ model: 'gpt-5-mini', apiKey: 'k', fetch: recordingFetch(urls) }).doGenerate(request).catch(() => undefined);
    // The SDKs' own defaults, read from the SDKs: no provider URL is written in our source.
    expect(urls[0]?.startsWith(new Anthropic({ apiKey: 'k' }).baseURL)).toBe(true);
    expect(urls[1]?.startsWith(new OpenAI({ apiKey: 'k' }).baseURL)).toBe(true);
  });

  it('key circuit breakers by the base URL, or by the provider for its default endpoint', () => {
    expect(anthropicProvider({ model: 'claude-haiku-4-5', apiKey: 'k' }).endpoint).toBe('anthropic');
    expect(openaiProvider({ model: 'gpt-5-mini', apiKey: 'k' }).endpoint).toBe('openai');
    expect(openaiProvider({ model: 'llama3.2', apiKey: 'k', baseURL: 'http://127.0.0.1:11434/v1' }).endpoint).toBe('http://127.0.0.1:11434/v1');
  });
});
