import { describe, expect, it } from 'vitest';
import { anthropicProvider, openaiProvider } from '../../src/model/providers/index.js';

describe('default endpoints', () => {
  it('leave the provider endpoint to the SDK when no base URL is configured', () => {
    expect(anthropicProvider({ model: 'claude-haiku-4-5', apiKey: 'k' }).endpoint).toBe('https://api.anthropic.com');
    expect(openaiProvider({ model: 'gpt-5-mini', apiKey: 'k' }).endpoint).toBe('https://api.openai.com/v1');
    expect(openaiProvider({ model: 'llama3.2', apiKey: 'k', baseURL: 'http://127.0.0.1:11434/v1' }).endpoint).toBe('http://127.0.0.1:11434/v1');
  });
});
