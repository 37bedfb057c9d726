import { escapeHtml as esc } from './escape.js';

/** A bracketed run of ids not followed by `(` (that would be a Markdown link), as the synthesizer writes citations. */
const BRACKETED = /\[([^[\]\n]+)\](?!\()/g;

/**
 * The answer as light Markdown (headings, paragraphs, line breaks; everything else as text), every
 * character escaped, with each citation `[a]` or `[a, b]` whose ids all `resolve` to a task turned
 * into links carrying the task's key. Brackets that are not citations stay text.
 */
export function renderAnswer(answer: string | undefined, resolve: (id: string) => string | undefined): string {
  if (answer === undefined || answer.trim() === '')
    return '<p class="none">The trace holds no answer (no <code>answer.delta</code> events: the run stopped before its answer, or the trace is older). The CLI adds it with <code>--result</code> (the run\'s <code>--json</code> document); in code, pass <code>answer</code> to <code>renderRunHtml</code>.</p>';
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push(`<p>${paragraph.join('<br>')}</p>`);
    paragraph = [];
  };
  for (const line of answer.split('\n')) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(line.trim());
    if (heading) {
      flush();
      const level = Math.min(heading[1]!.length + 2, 6);
      out.push(`<h${level}>${renderInline(heading[2]!, resolve)}</h${level}>`);
    } else if (line.trim() === '') flush();
    else paragraph.push(renderInline(line, resolve));
  }
  flush();
  return `<div class="answer">${out.join('\n')}</div>`;
}

/** One line of text: escaped, with citations linked. */
export function renderInline(text: string, resolve: (id: string) => string | undefined): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(BRACKETED)) {
    const ids = match[1]!.split(',').map((id) => id.trim());
    const keys = ids.map(resolve);
    if (keys.some((key) => key === undefined)) continue;
    html += esc(text.slice(last, match.index));
    html += `[${ids.map((id, i) => `<a class="cite" href="#task-${esc(keys[i]!)}" data-key="${esc(keys[i]!)}">${esc(id)}</a>`).join(', ')}]`;
    last = match.index! + match[0].length;
  }
  return html + esc(text.slice(last));
}
