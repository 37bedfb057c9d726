import type { Citation } from './types.js';

/** A bracketed group not followed by `(` (which would make it a Markdown link). */
const BRACKETED = /\[([^[\]\n]+)\](?!\()/g;
/** What a task id the model made up looks like: one token, no spaces. */
const ID_LIKE = /^[\p{L}\p{N}_.:/-]+$/u;

/** What `findCitations` found in an answer. */
export interface FoundCitations {
  /** One citation per block (paragraph, list item run, section) that carries markers. */
  readonly citations: Citation[];
  /** Ids cited in markers that are not among the known ids, in order of first appearance. */
  readonly unknownIds: string[];
}

/**
 * Finds `[task-id]` / `[id-1, id-2]` markers in a Markdown answer and maps each block that carries
 * them to the ids it cites. Brackets holding prose (`[see above]`), Markdown links and code are not
 * markers. An id-like marker that names no known task is reported in `unknownIds`.
 *
 * @example
 * findCitations('Prices rose [market].\n\nCosts fell [costs, market].', new Set(['market', 'costs']))
 * // citations: [{ part: 'Prices rose.', taskIds: ['market'] }, { part: 'Costs fell.', taskIds: ['costs', 'market'] }]
 */
export function findCitations(text: string, knownIds: ReadonlySet<string>): FoundCitations {
  const citations: Citation[] = [];
  const unknown = new Set<string>();
  for (const block of blocks(text)) {
    const cited: string[] = [];
    const markers: string[] = [];
    for (const match of withoutCode(block).matchAll(BRACKETED)) {
      const ids = (match[1] ?? '').split(',').map((id) => id.trim());
      const isMarker = ids.every((id) => knownIds.has(id) || ID_LIKE.test(id));
      if (!isMarker) continue;
      markers.push(match[0]);
      for (const id of ids) {
        if (!knownIds.has(id)) unknown.add(id);
        else if (!cited.includes(id)) cited.push(id);
      }
    }
    if (cited.length === 0) continue;
    let part = block;
    for (const marker of markers) part = part.replace(marker, '');
    citations.push({ part: tidy(part), taskIds: cited });
  }
  return { citations, unknownIds: [...unknown] };
}

/** Splits Markdown into blocks at blank lines, keeping fenced code (which may hold blank lines) whole. */
function blocks(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (!inFence && line.trim() === '') {
      if (current.length) out.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length) out.push(current.join('\n'));
  return out;
}

function withoutCode(block: string): string {
  return block.replace(/(```|~~~)[\s\S]*?(\1|$)/g, '').replace(/`[^`\n]*`/g, '');
}

/** Drops the space a removed marker leaves before punctuation or at a line end. */
function tidy(part: string): string {
  return part
    .replace(/[ \t]+([.,;:!?])/g, '$1')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

/**
 * Problems with a set of citations: ids that are not sources, or no citation at all. Phrased to be
 * fed back to the model.
 */
export function citationProblems(citations: readonly Citation[], unknownIds: readonly string[], knownIds: readonly string[]): string[] {
  const problems: string[] = [];
  const known = knownIds.map((id) => `"${id}"`).join(', ');
  for (const id of unknownIds) problems.push(`cites unknown task id "${id}"; cite only these ids: ${known}`);
  if (citations.length === 0) problems.push(`cites no sources; mark each part with the ids of the tasks it draws on (${known})`);
  return problems;
}
