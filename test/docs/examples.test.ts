/**
 * The examples in README.md and docs/*.md run, and print what the pages say they print.
 *
 * Each block marked `<!-- example: runs -->` is one test, named by its page and heading. It runs
 * against the source (its `taskforce` imports are rewritten), from the repository root, offline.
 * See doc-examples.ts for the marker and the `It prints:` convention.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { againstSource, findExamples, type DocExample } from './doc-examples.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const ENTRY = { root: ROOT, index: join(ROOT, 'src/index.ts'), testing: join(ROOT, 'src/testing/index.ts'), observe: join(ROOT, 'src/observe/index.ts') };

const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)];
const EXAMPLES = PAGES.flatMap((page) => findExamples(readFileSync(join(ROOT, page), 'utf8'), page));

/** Pages that must keep at least one runnable example. */
const MUST_RUN = ['README.md', 'docs/agents.md', 'docs/evals.md', 'docs/models.md', 'docs/orchestrate.md', 'docs/strategies.md'];

/** Test names: page › heading, numbered when a heading holds several examples. */
function names(examples: readonly DocExample[]): string[] {
  const seen = new Map<string, number>();
  return examples.map((example) => {
    const base = `${example.file} › ${example.heading}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

describe('the docs examples', () => {
  let dir = '';
  let cwd = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taskforce-docs-'));
    // Examples use paths relative to the repository root, as a reader running them from a clone would.
    cwd = process.cwd();
    if (cwd !== ROOT) process.chdir(ROOT);
  });
  afterAll(async () => {
    if (cwd && process.cwd() !== cwd) process.chdir(cwd);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(MUST_RUN)('%s has at least one runnable example', (page) => {
    expect(EXAMPLES.filter((example) => example.file === page && !example.problem).length).toBeGreaterThan(0);
  });

  const cases = names(EXAMPLES).map((name, i) => ({ name, example: EXAMPLES[i]!, index: i }));
  it.each(cases)('$name', async ({ example, index }) => {
    expect(example.problem, `${example.file}:${example.line}`).toBeUndefined();
    const file = join(dir, `example-${index}.${example.lang === 'ts' ? 'ts' : 'mjs'}`);
    await writeFile(file, `${againstSource(example.code, ENTRY)}\nexport {};\n`);

    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(format(...args)));
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
    }

    if (example.prints !== undefined) {
      expect(printed.map((line) => `${line}\n`).join(''), `what ${example.file}:${example.line} prints`).toBe(example.prints);
    }
  });
});
