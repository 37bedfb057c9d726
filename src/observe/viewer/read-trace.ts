import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../errors/taskforce-error.js';
import type { TaskforceEvent } from '../../events/types.js';

/**
 * The events of a JSONL trace (as `createJsonlTraceWriter` writes it), in file order. A last line
 * with no newline after it that is not valid JSON is the write a crash or Ctrl-C cut short, and is
 * dropped; any other line that is not an event is a `ConfigError` naming the file and the line.
 *
 * @example
 * ```ts
 * const events = await readTrace('run.trace.jsonl');
 * await writeFile('run.html', renderRunHtml(events));
 * ```
 */
export async function readTrace(file: string): Promise<TaskforceEvent[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the trace ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return parseTrace(text, file);
}

/** `readTrace` for text already in memory; `label` names the source in errors. */
export function parseTrace(text: string, label = 'trace'): TaskforceEvent[] {
  const lines = text.split('\n');
  const events: TaskforceEvent[] = [];
  // The index of the last line with content, if it has no newline after it: it may be torn.
  const tornCandidate = text.endsWith('\n') ? -1 : lines.length - 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (i === tornCandidate) break;
      throw new ConfigError(`${label}:${i + 1}: not a JSON line (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!isEventLike(value)) throw new ConfigError(`${label}:${i + 1}: not a Taskforce event (an object with a string "type" and a numeric "at")`);
    events.push(value);
  }
  return events;
}

function isEventLike(value: unknown): value is TaskforceEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { type, at } = value as { type?: unknown; at?: unknown };
  return typeof type === 'string' && typeof at === 'number';
}
