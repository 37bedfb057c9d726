/**
 * Finds the runnable examples of a markdown page and prepares them to run against the source.
 *
 * A runnable example is a fenced `ts` or `js` block right after a `<!-- example: runs -->` line. The
 * marker is explicit on purpose: snippets that need an API key, a network or files the repository
 * does not have stay plain code. When the block is followed by `It prints:` and a `text` block, that
 * text is what the example's `console.log` calls must print, exactly.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** One runnable example of a page, or the reason a marker could not be read. */
export interface DocExample {
  /** The page, relative to the repository root (`docs/agents.md`). */
  readonly file: string;
  /** The nearest heading above the example, without its `#`s. */
  readonly heading: string;
  /** 1-based line of the marker. */
  readonly line: number;
  readonly lang: 'ts' | 'js';
  readonly code: string;
  /** What the example prints, when the page says so with `It prints:`. */
  readonly prints?: string;
  /** Set when the marker is not followed by something runnable; the example then fails. */
  readonly problem?: string;
}

const MARKER = /^\s*<!--\s*example:\s*(.*?)\s*-->\s*$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const LANGS: Record<string, 'ts' | 'js'> = { ts: 'ts', typescript: 'ts', js: 'js', javascript: 'js', mjs: 'js' };

interface Fence {
  readonly indent: number;
  readonly mark: string;
  readonly lang: string;
  /** Index of the opening line. */
  readonly start: number;
  /** Index of the closing line (or the end of the page when unclosed). */
  readonly end: number;
  readonly body: string;
}

/** Reads the fenced block that opens at `lines[start]`, or undefined when that line opens none. */
function fenceAt(lines: readonly string[], start: number): Fence | undefined {
  const open = FENCE.exec(lines[start] ?? '');
  if (!open) return undefined;
  const indent = open[1]!.length;
  const mark = open[2]!;
  let end = start + 1;
  while (end < lines.length && !lines[end]!.trim().startsWith(mark)) end++;
  const body = lines
    .slice(start + 1, end)
    .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
    .join('\n');
  return { indent, mark, lang: open[3]!.toLowerCase(), start, end, body: `${body}\n` };
}

const nextNonBlank = (lines: readonly string[], from: number): number => {
  let i = from;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  return i;
};

/** Every `<!-- example: runs -->` block of one page, in page order. */
export function findExamples(markdown: string, file: string): DocExample[] {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const examples: DocExample[] = [];
  let heading = '(top of the page)';
  for (let i = 0; i < lines.length; i++) {
    const fence = fenceAt(lines, i);
    if (fence) {
      i = fence.end; // markers and headings inside a block are text, not structure
      continue;
    }
    const title = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(lines[i]!);
    if (title) heading = title[1]!;
    const marker = MARKER.exec(lines[i]!);
    if (!marker) continue;
    const at = { file, heading, line: i + 1 };
    if (marker[1] !== 'runs') {
      examples.push({ ...at, lang: 'ts', code: '', problem: `unknown marker "example: ${marker[1]}" (the only one is "example: runs")` });
      continue;
    }
    const block = fenceAt(lines, nextNonBlank(lines, i + 1));
    const lang = block && LANGS[block.lang];
    if (!block || !lang) {
      examples.push({ ...at, lang: 'ts', code: '', problem: 'the marker is not followed by a ```ts or ```js block' });
      continue;
    }
    let prints: string | undefined;
    let problem: string | undefined;
    const after = nextNonBlank(lines, block.end + 1);
    if (/^\s*It prints:\s*$/.test(lines[after] ?? '')) {
      const output = fenceAt(lines, nextNonBlank(lines, after + 1));
      if (output?.lang === 'text') prints = output.body;
      else problem = '"It prints:" is not followed by a ```text block';
    }
    examples.push({ ...at, lang, code: block.body, ...(prints === undefined ? {} : { prints }), ...(problem ? { problem } : {}) });
    i = block.end;
  }
  return examples;
}

/** Where the published entry points live in the source tree. */
export interface SourceEntryPoints {
  /** The repository root: relative imports and paths in examples are relative to it. */
  readonly root: string;
  /** `taskforce` */
  readonly index: string;
  /** `taskforce/testing` */
  readonly testing: string;
  /** `taskforce/observe` */
  readonly observe?: string;
}

/**
 * Rewrites an example's imports so it runs against the source from any folder: `taskforce` and
 * `taskforce/testing` to their source entry points, `./…` to the repository root. Other packages and
 * `node:` modules stay as they are. An import of any other part of Taskforce is an error: examples
 * show the public surface only.
 */
export function againstSource(code: string, entry: SourceEntryPoints): string {
  const internal = [resolve(entry.root, 'src'), resolve(entry.root, 'strategies')];
  const target = (specifier: string): string => {
    if (specifier === 'taskforce-agents') return entry.index;
    if (specifier === 'taskforce-agents/testing') return entry.testing;
    if (specifier === 'taskforce-agents/observe' && entry.observe) return entry.observe;
    if (specifier.startsWith('taskforce-agents/')) {
      throw new Error(`examples may import only 'taskforce-agents', 'taskforce-agents/testing' and 'taskforce-agents/observe', not '${specifier}'`);
    }
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) return specifier;
    const path = resolve(entry.root, specifier);
    for (const dir of internal) {
      const inside = relative(dir, path);
      if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
        throw new Error(`examples may import only 'taskforce-agents' and 'taskforce-agents/testing', not '${specifier}' (${dir.split(sep).pop()}/ is internal)`);
      }
    }
    return path;
  };
  return code.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"\n]+)\2/g,
    (_match, before: string, _quote: string, specifier: string) => `${before}${JSON.stringify(target(specifier))}`,
  );
}
