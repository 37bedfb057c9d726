import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const DOC = fileURLToPath(new URL('../../docs/readme/orchestrate.md', import.meta.url));
const INDEX = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

describe('docs/readme/orchestrate.md', () => {
  let dir: string | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the offline example and prints what the docs say it prints', async () => {
    const doc = await readFile(DOC, 'utf8');
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
