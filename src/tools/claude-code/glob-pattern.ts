/**
 * A glob as a regular expression over `/`-separated relative paths: `**` any number of folders,
 * `*` and `?` within one name, `{a,b}` alternatives, `[abc]` classes. A pattern without `/`
 * matches a name in any folder (as Claude Code's Grep `glob` filter does when `matchBase` is set).
 */
export function globToRegExp(pattern: string, options: { readonly matchBase?: boolean } = {}): RegExp {
  const base = options.matchBase === true && !pattern.includes('/');
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slashAfter = pattern[i + 2] === '/';
        const atStart = i === 0 || pattern[i - 1] === '/';
        i += slashAfter && atStart ? 2 : 1;
        out += slashAfter && atStart ? '(?:.*/)?' : '.*';
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      depth++;
      out += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (c === ',' && depth > 0) out += '|';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${base ? '(?:.*/)?' : ''}${out}$`);
}
