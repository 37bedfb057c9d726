import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import type { Tool } from '../types.js';
import { WorkspaceToolError } from './workspace.js';

/** Characters of page text kept; the rest is cut with a note. */
export const WEB_FETCH_MAX_CHARS = 100_000;

const WebFetchInput = z.object({
  url: z.string().describe('The http(s) URL to fetch'),
  prompt: z.string().describe('What to look for in the page'),
});

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The readable text of an HTML page: scripts, styles and tags dropped, entities decoded, blank runs collapsed. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(br|\/p|\/div|\/li|\/h[1-6]|\/tr|\/section|\/article)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/[ \t\f\v\r]+/g, ' ')
    .replace(/ *\n[ \n]*/g, '\n')
    .trim();
}

interface WebFetchOptions {
  /** The `fetch` to use (default the global one). */
  readonly fetch?: typeof globalThis.fetch;
}

/**
 * Claude Code's `WebFetch`, without the model call: fetches the URL and returns its text (HTML reduced
 * to text), capped, under a header naming the URL and the prompt, so the calling agent's own model
 * reads the page with the prompt in view. Read-only.
 */
export function webFetchTool(options: WebFetchOptions = {}): Tool<z.output<typeof WebFetchInput>, string> {
  return defineTool({
    name: 'WebFetch',
    description:
      'Fetches an http(s) URL and returns the page as text (HTML reduced to its text), with your prompt in the header ' +
      'so you can answer it from the page.',
    input: WebFetchInput,
    // A request leaves the machine carrying whatever the agent puts in the URL: a way out for data, so
    // it is granted, not inherited (as Write, Edit and Bash are).
    sideEffects: true,
    execute: async ({ url, prompt }, { signal }) => {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new WorkspaceToolError(`"${url}" is not a valid URL`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
        throw new WorkspaceToolError(`only http and https URLs can be fetched, got ${parsed.protocol}`);
      const response = await (options.fetch ?? globalThis.fetch)(parsed, { signal, redirect: 'follow' });
      const body = await response.text();
      if (!response.ok) throw new WorkspaceToolError(`fetching ${url} failed: HTTP ${response.status} ${response.statusText}\n${body.slice(0, 500)}`);
      const type = response.headers.get('content-type') ?? '';
      const text = /html/i.test(type) || /^\s*<(!doctype html|html)/i.test(body) ? htmlToText(body) : body;
      const shown = text.length > WEB_FETCH_MAX_CHARS ? `${text.slice(0, WEB_FETCH_MAX_CHARS)}\n… (page cut at ${WEB_FETCH_MAX_CHARS} characters)` : text;
      return `URL: ${response.url || url}\nPrompt: ${prompt}\n\n${shown}`;
    },
  });
}
