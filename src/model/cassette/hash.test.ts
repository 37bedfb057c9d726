import { describe, expect, it } from 'vitest';
import { canonicalJson, requestHash } from './hash.js';

const model = { provider: 'anthropic', modelId: 'claude-haiku-4-5' };

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it('drops undefined fields like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });
});

describe('requestHash', () => {
  const request = { messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 10 };

  it('ignores key order, the abort signal and the call id', () => {
    const reordered = { maxTokens: 10, messages: [{ content: 'hi', role: 'user' as const }] };
    expect(requestHash(model, { ...reordered, signal: new AbortController().signal, callId: 'call_9' })).toBe(requestHash(model, request));
  });

  it('changes with anything that can change the reply', () => {
    const base = requestHash(model, request);
    expect(requestHash(model, { ...request, maxTokens: 11 })).not.toBe(base);
    expect(requestHash(model, { ...request, temperature: 0 })).not.toBe(base);
    expect(requestHash({ ...model, modelId: 'claude-sonnet-4-5' }, request)).not.toBe(base);
  });
});
