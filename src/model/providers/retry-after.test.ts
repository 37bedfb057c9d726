import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration, retryAfterMsFromHeaders } from './retry-after.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('retryAfterMsFromHeaders', () => {
  it('prefers retry-after-ms, then retry-after in seconds', () => {
    expect(retryAfterMsFromHeaders({ 'retry-after-ms': '1500', 'retry-after': '9' }, 429, NOW)).toBe(1500);
    expect(retryAfterMsFromHeaders({ 'retry-after': '2.5' }, 503, NOW)).toBe(2500);
  });

  it('reads retry-after as an HTTP date relative to now, never negative', () => {
    expect(retryAfterMsFromHeaders({ 'retry-after': 'Sun, 01 Mar 2026 12:00:30 GMT' }, 503, NOW)).toBe(30_000);
    expect(retryAfterMsFromHeaders({ 'retry-after': 'Sun, 01 Mar 2026 11:00:00 GMT' }, 503, NOW)).toBe(0);
  });

  it('on a 429, waits for the latest anthropic-ratelimit reset', () => {
    const headers = {
      'anthropic-ratelimit-requests-reset': '2026-03-01T12:00:05Z',
      'anthropic-ratelimit-input-tokens-reset': '2026-03-01T12:00:20Z',
    };
    expect(retryAfterMsFromHeaders(headers, 429, NOW)).toBe(20_000);
  });

  it('on a 429, reads OpenAI x-ratelimit-reset durations', () => {
    expect(retryAfterMsFromHeaders({ 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' }, 429, NOW)).toBe(360_000);
  });

  it('ignores rate-limit reset headers on other statuses, where they describe a window that was not the problem', () => {
    expect(retryAfterMsFromHeaders({ 'x-ratelimit-reset-tokens': '6m0s' }, 500, NOW)).toBeUndefined();
  });

  it('returns undefined for missing or unreadable values', () => {
    expect(retryAfterMsFromHeaders({}, 429, NOW)).toBeUndefined();
    expect(retryAfterMsFromHeaders({ 'retry-after': 'soon' }, 503, NOW)).toBeUndefined();
    expect(retryAfterMsFromHeaders({ 'retry-after-ms': '-5' }, 503, NOW)).toBeUndefined();
  });
});

describe('parseDuration', () => {
  it('reads Go-style durations and bare seconds', () => {
    expect(parseDuration('1s')).toBe(1000);
    expect(parseDuration('6m0s')).toBe(360_000);
    expect(parseDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseDuration('120ms')).toBe(120);
    expect(parseDuration('7')).toBe(7000);
  });

  it('rejects text that is not entirely a duration', () => {
    for (const bad of ['', 's', '5 minutes', '1x', '1s garbage']) expect(parseDuration(bad)).toBeUndefined();
  });

  it('reads back any minutes-and-seconds duration it is given', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(59), (minutes, seconds) => {
        expect(parseDuration(`${minutes}m${seconds}s`)).toBe((minutes * 60 + seconds) * 1000);
      }),
    );
  });
});
