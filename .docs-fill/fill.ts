import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { againstSource, findExamples } from '../test/docs/doc-examples.js';

const ROOT = '/work/main';
const ENTRY = { root: ROOT, index: join(ROOT, 'src/index.ts'), testing: join(ROOT, 'src/testing/index.ts') };
const pages = process.argv.slice(2);
let n = 0;
for (const page of pages) {
  let text = readFileSync(join(ROOT, page), 'utf8');
  for (const ex of findExamples(text, page)) {
    if (ex.prints !== 'PLACEHOLDER\n') continue;
    const file = join(ROOT, '.docs-fill', `ex-${n++}.${ex.lang === 'ts' ? 'ts' : 'mjs'}`);
    writeFileSync(file, `${againstSource(ex.code, ENTRY)}\nexport {};\n`);
    const lines: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void lines.push(format(...a));
    try { await import(file); } finally { console.log = log; }
    const lineIdx = text.split('\n').slice(0, ex.line).join('\n').length;
    const at = text.indexOf('```text\nPLACEHOLDER\n```', lineIdx);
    text = text.slice(0, at) + '```text\n' + lines.join('\n') + '\n```' + text.slice(at + '```text\nPLACEHOLDER\n```'.length);
    console.log(`--- ${page} › ${ex.heading}\n${lines.join('\n')}`);
  }
  writeFileSync(join(ROOT, page), text);
}
