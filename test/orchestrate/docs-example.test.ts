import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const SECTION = '## orchestrate(): the whole pipeline';
const INDEX = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

describe(`README.md, section "${SECTION}"`, () => {
  let dir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the offline example and prints what the docs say it prints', async () => {
    const readme = await readFile(README, 'utf8');
    const start = readme.indexOf(`${SECTION}\n`);
    expect(start, 'the section exists').toBeGreaterThanOrEqual(0);
    const end = readme.indexOf('\n## ', start + SECTION.length);
    const doc = readme.slice(start, end < 0 ? undefined : end);
    const example = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).find((code) => code.includes('scriptedModel'));
    const printed = /It prints:\n\n```text\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example, 'an offline example using scriptedModel').toBeDefined();
    expect(printed, 'the "It prints:" block after it').toBeDefined();

    // The example imports the published package; here it runs against the source.
    dir = await mkdtemp(join(tmpdir(), 'taskforce-doc-'));
    const file = join(dir, 'example.ts');
    await writeFile(file, example!.replaceAll("from 'taskforce'", `from ${JSON.stringify(INDEX)}`));
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));

    await import(/* @vite-ignore */ file);

    expect(`${lines.join('\n')}\n`).toBe(printed);
  });
});
