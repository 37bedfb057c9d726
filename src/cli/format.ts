/** Formatting shared by the live view, the result printer and eval reports. */

/** `1234567` → `1,234,567`. */
export function formatInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Dollars with enough digits for small LLM costs: `$0.0123`, `$1.23`. */
export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  if (value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(value < 10 ? 3 : 2)}`;
}

/** Milliseconds as `850ms`, `3.2s`, `2m05s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

/** Tokens: `950 tok`, `12.3k tok`. */
export function formatTokens(tokens: number): string {
  return tokens < 10_000 ? `${formatInt(tokens)} tok` : `${(tokens / 1000).toFixed(1)}k tok`;
}

/** Pads or cuts `text` to exactly `width` characters (for aligned columns). */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width);
}
