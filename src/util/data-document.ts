import { extname } from 'node:path';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { yamlData } from './yaml-data.js';

export type DataFormat = 'json' | 'yaml';

/** Where in a document: keys and array indexes, e.g. `['tasks', 2, 'dependsOn']`. */
export type DataPath = readonly (string | number)[];

/** A JSON or YAML text read into plain data, with a way to find the line of any path in it. */
export type DataDocument =
  | {
      readonly ok: true;
      readonly data: unknown;
      /** 1-based line of the deepest node on `path` that exists (a missing field points at its parent). */
      readonly lineOf: (path: DataPath) => number | undefined;
      /** Like `lineOf`, but for the last part of `path` the line of its key (`dependOn:`), not its value. */
      readonly lineOfKey: (path: DataPath) => number | undefined;
    }
  | { readonly ok: false; readonly problems: readonly { readonly message: string; readonly line?: number }[]; readonly cause?: unknown };

/**
 * Reads a JSON or YAML text (the format from `format`, else the source's extension, else JSON when the
 * text starts with `{`). JSON is YAML, so the same YAML document locates lines in either format; each
 * file loader (plans, workflows) turns the problems into its own error naming the file.
 */
export function readDataDocument(text: string, options: { readonly format?: DataFormat; readonly source?: string } = {}): DataDocument {
  const format = options.format ?? guessDataFormat(text, options.source);
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number) => lines.linePos(offset).line;

  let data: unknown;
  if (format === 'json') {
    try {
      data = JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const offset = /position (\d+)/.exec(message)?.[1];
      return { ok: false, problems: [{ message: `invalid JSON: ${message}`, ...(offset !== undefined ? { line: lineOfOffset(text, Number(offset)) } : {}) }] };
    }
  } else {
    if (document.errors.length > 0)
      return { ok: false, problems: document.errors.map((error) => ({ line: at(error.pos[0]), message: `invalid YAML: ${firstLine(error.message)}` })) };
    const read = yamlData(document);
    if (!read.ok) return { ok: false, problems: [{ message: read.reason }], cause: read.error };
    data = read.data;
  }
  // Without a clean YAML document (JSON that YAML cannot read), no lines.
  const usable = document.errors.length === 0;
  return {
    ok: true,
    data,
    lineOf: (path) => (usable ? lineOfPath(document, path, at) : undefined),
    lineOfKey: (path) => (usable ? (lineOfKeyNode(document, path, at) ?? lineOfPath(document, path, at)) : undefined),
  };
}

export function guessDataFormat(text: string, source: string | undefined): DataFormat {
  const extension = source !== undefined ? extname(source).toLowerCase() : '';
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

function lineOfPath(document: Document, path: DataPath, at: (offset: number) => number): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return at(node.range[0]);
  }
  return undefined;
}

function lineOfKeyNode(document: Document, path: DataPath, at: (offset: number) => number): number | undefined {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return undefined;
  const parent: unknown = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  for (const pair of parent.items) {
    const key: unknown = pair.key;
    if (isScalar(key) && String(key.value) === last && key.range) return at(key.range[0]);
  }
  return undefined;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
