/**
 * Text made safe for HTML element content and quoted attribute values: the five characters that can
 * end a text run or an attribute (`& < > " '`) become entities. Everything a run wrote (goals, task
 * titles, outputs, errors, decisions) passes through here before it reaches the page.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
