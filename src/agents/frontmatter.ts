import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { yamlData } from '../util/yaml-data.js';
import { AgentDefinitionError } from './errors.js';

/** A markdown file split into its YAML frontmatter (parsed) and its body. */
export interface ParsedFrontmatter {
  /** The frontmatter as plain data (anchors, aliases and `<<` merges resolved). */
  readonly data: unknown;
  /** The markdown after the closing `---`, line endings normalised to `\n`. */
  readonly body: string;
  /** 1-based file line of the opening `---`. */
  readonly openLine: number;
  /** 1-based file line of the first body line. */
  readonly bodyLine: number;
  /** 1-based file line of a frontmatter path (`['hooks', 'pre']`, `['tools', 2]`), if it is present. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
  /** YAML warnings (not errors), each with its file line. */
  readonly warnings: readonly { readonly line: number; readonly message: string }[];
}

const FENCE = /^---[ \t]*$/;
const CLOSE = /^(---|\.\.\.)[ \t]*$/;

/**
 * Splits `text` into frontmatter and body and parses the frontmatter as YAML. Returns `undefined`
 * when the file has no frontmatter (its first non-blank line is not `---`). Tolerates a BOM and
 * CRLF line endings. Throws `AgentDefinitionError` naming `file` and the line (and the field, when
 * the error lies in one) for a YAML syntax error or a frontmatter block that is never closed.
 */
export function parseFrontmatter(text: string, file: string): ParsedFrontmatter | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let open = 0;
  while (open < lines.length && lines[open]!.trim() === '') open++;
  if (open >= lines.length || !FENCE.test(lines[open]!)) return undefined;

  let close = open + 1;
  while (close < lines.length && !CLOSE.test(lines[close]!)) close++;
  if (close >= lines.length) {
    throw new AgentDefinitionError({
      file,
      line: open + 1,
      problem: 'frontmatter opened with "---" is never closed (add a "---" line after it)',
    });
  }

  const yamlText = lines.slice(open + 1, close).join('\n');
  // YAML line 1 is the file line after the opening fence.
  const lineOffset = open + 1;
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter, prettyErrors: false, merge: true, uniqueKeys: true });
  const fileLine = (offset: number) => Math.max(1, counter.linePos(offset).line) + lineOffset;

  const firstError = doc.errors[0];
  if (firstError) {
    const culprit = fieldAt(doc, firstError.pos[0]);
    throw new AgentDefinitionError({
      file,
      line: fileLine(culprit?.lineOffset ?? firstError.pos[0]),
      ...(culprit ? { field: culprit.field } : {}),
      problem: `invalid YAML: ${firstError.message}`,
      cause: firstError,
    });
  }

  const read = yamlData(doc);
  if (!read.ok) throw new AgentDefinitionError({ file, line: open + 1, problem: read.reason, cause: read.error });
  const data = read.data;

  return {
    data,
    body: lines.slice(close + 1).join('\n'),
    openLine: open + 1,
    bodyLine: close + 2,
    lineOf: (path) => {
      const offset = offsetOf(doc, path);
      return offset === undefined ? undefined : fileLine(offset);
    },
    warnings: doc.warnings.map((w) => ({ line: fileLine(w.pos[0]), message: w.message })),
  };
}

/**
 * The top-level field a YAML error at `offset` belongs to, so the message can name it. When the
 * parser noticed the error at the very end of the field's value (an unclosed `[` or quote runs on
 * until the next key), the cause is where the value began, so the field's own line is reported;
 * otherwise the error's line is (it points inside a long value more precisely).
 */
function fieldAt(doc: Document, offset: number): { field: string; lineOffset: number } | undefined {
  if (!isMap(doc.contents)) return undefined;
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const keyStart = pair.key.range[0];
    const valueEnd = (pair.value as { range?: [number, number, number] } | null)?.range?.[1] ?? pair.key.range[1];
    if (offset < keyStart || offset > valueEnd) continue;
    return { field: String(pair.key.value), lineOffset: offset === valueEnd && offset > keyStart ? keyStart : offset };
  }
  return undefined;
}

/**
 * Start offset of the deepest node found along `path`: the key of a mapping entry (so the line is
 * the field's own line, even when its value is a block scalar), or the item of a sequence.
 */
function offsetOf(doc: Document, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let found: number | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      found = isScalar(pair.key) ? pair.key.range?.[0] : found;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      const range = (item as { range?: [number, number, number] } | undefined)?.range;
      if (!range) break;
      found = range[0];
      node = item;
    } else break;
  }
  return found;
}
