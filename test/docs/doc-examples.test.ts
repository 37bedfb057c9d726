import { describe, expect, it } from 'vitest';
import { againstSource, findExamples } from './doc-examples.js';

const page = (...lines: string[]): string => `${lines.join('\n')}\n`;

describe('findExamples', () => {
  it('returns a marked block with its heading, line and what it prints', () => {
    const examples = findExamples(
      page('# Title', '', '## Tally', '', '<!-- example: runs -->', '```ts', "console.log('yes');", '```', '', 'It prints:', '', '```text', 'yes', '```'),
      'docs/x.md',
    );
    expect(examples).toEqual([{ file: 'docs/x.md', heading: 'Tally', line: 5, lang: 'ts', code: "console.log('yes');\n", prints: 'yes\n' }]);
  });

  it('leaves unmarked blocks alone, and a block without "It prints:" has no expected output', () => {
    const examples = findExamples(page('```ts', 'needsAKey();', '```', '<!-- example: runs -->', '```js', 'run();', '```'), 'README.md');
    expect(examples.map((example) => [example.lang, example.code, example.prints])).toEqual([['js', 'run();\n', undefined]]);
  });

  it('ignores markers and headings inside a fenced block', () => {
    const examples = findExamples(page('## Real', '````markdown', '## Not a heading', '<!-- example: runs -->', '```ts', 'x();', '```', '````'), 'a.md');
    expect(examples).toEqual([]);
  });

  it('un-indents a block inside a list item', () => {
    const [example] = findExamples(page('- item:', '', '  <!-- example: runs -->', '  ```ts', '  if (a) {', '    b();', '  }', '  ```'), 'a.md');
    expect(example?.code).toBe('if (a) {\n  b();\n}\n');
  });

  it('reports a marker that is not followed by a ts or js block, or an unknown marker', () => {
    const examples = findExamples(page('<!-- example: runs -->', '```bash', 'ls', '```', '<!-- example: run -->', '```ts', 'x();', '```'), 'a.md');
    expect(examples.map((example) => example.problem)).toEqual([
      'the marker is not followed by a ```ts or ```js block',
      'unknown marker "example: run" (the only one is "example: runs")',
    ]);
  });

  it('reports "It prints:" without a text block', () => {
    const [example] = findExamples(page('<!-- example: runs -->', '```ts', 'x();', '```', 'It prints:', '', '```json', '{}', '```'), 'a.md');
    expect(example?.problem).toBe('"It prints:" is not followed by a ```text block');
  });
});

describe('againstSource', () => {
  const entry = { root: '/repo', index: '/repo/src/index.ts', testing: '/repo/src/testing/index.ts' };

  it('points the public entry points at the source and relative paths at the repository root', () => {
    const code = [
      "import { Task } from 'taskforce-agents';",
      "import type { RunNode } from 'taskforce-agents';",
      "import { scriptedModel } from 'taskforce-agents/testing';",
      "import { replies } from './examples/demo/replies.mjs';",
      "import { z } from 'zod';",
      "const fs = await import('node:fs');",
    ].join('\n');
    expect(againstSource(code, entry)).toBe(
      [
        'import { Task } from "/repo/src/index.ts";',
        'import type { RunNode } from "/repo/src/index.ts";',
        'import { scriptedModel } from "/repo/src/testing/index.ts";',
        'import { replies } from "/repo/examples/demo/replies.mjs";',
        'import { z } from "zod";',
        'const fs = await import("node:fs");',
      ].join('\n'),
    );
  });

  it('refuses imports of internal paths, which move', () => {
    expect(() => againstSource("import { x } from 'taskforce-agents/dist/src/run/task.js';", entry)).toThrow(/only 'taskforce-agents', 'taskforce-agents\/testing' and 'taskforce-agents\/observe'/);
    expect(() => againstSource("import { x } from './src/agents/loop.js';", entry)).toThrow(/src\/ is internal/);
    expect(() => againstSource("import { tally } from './strategies/tally.js';", entry)).toThrow(/strategies\/ is internal/);
  });
});
