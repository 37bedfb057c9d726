import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlToText, WEB_FETCH_MAX_CHARS, webFetchTool } from './web-fetch.js';

const ctx = { signal: new AbortController().signal, agent: 'a', callId: 'c1' };
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/page') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end('<!doctype html><html><head><style>p{}</style><script>alert(1)</script></head><body><h1>Title</h1><p>Fish &amp; chips</p></body></html>');
    } else if (req.url === '/big') {
      res.setHeader('content-type', 'text/plain');
      res.end('x'.repeat(WEB_FETCH_MAX_CHARS + 10));
    } else {
      res.statusCode = 404;
      res.end('gone');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('WebFetch', () => {
  it('returns the page as text under a header with the URL and the prompt', async () => {
    const out = await webFetchTool().execute({ url: `${base}/page`, prompt: 'What food?' }, ctx);
    expect(out).toBe(`URL: ${base}/page\nPrompt: What food?\n\nTitle\nFish & chips`);
  });

  it('caps long pages', async () => {
    const out = await webFetchTool().execute({ url: `${base}/big`, prompt: 'p' }, ctx);
    expect(out).toMatch(/page cut at/);
  });

  it('fails on HTTP errors and on URLs that are not http(s)', async () => {
    await expect(webFetchTool().execute({ url: `${base}/missing`, prompt: 'p' }, ctx)).rejects.toThrow(/HTTP 404/);
    await expect(webFetchTool().execute({ url: 'file:///etc/passwd', prompt: 'p' }, ctx)).rejects.toThrow(/only http and https/);
    await expect(webFetchTool().execute({ url: 'not a url', prompt: 'p' }, ctx)).rejects.toThrow(/not a valid URL/);
  });

  it('reduces HTML to its text', () => {
    expect(htmlToText('<p>a&lt;b &#65;&#x42;</p><!-- c --><div>d</div>')).toBe('a<b AB\nd');
  });
});
