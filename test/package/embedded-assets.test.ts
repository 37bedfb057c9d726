import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { builtinAgents } from '../../src/agents/builtin.js';
import { readPromptTemplate } from '../../src/util/prompt-template.js';
import { ROOT } from '../cli/cli-process.js';

const run = promisify(execFile);
const markdown = (folder: string) => readdirSync(join(ROOT, folder)).filter((f) => f.endsWith('.md')).sort();

describe('embedded prompts and built-in agents', () => {
  it('the checked-in src/util/embedded-assets.generated.ts matches prompts/ and agents/ (else run node scripts/embed-assets.mjs)', async () => {
    await expect(run(process.execPath, [join(ROOT, 'scripts', 'embed-assets.mjs'), '--check'])).resolves.toBeDefined();
  });

  it('serves every prompt template exactly as its file', () => {
    for (const file of markdown('prompts')) expect(readPromptTemplate(file)).toBe(readFileSync(join(ROOT, 'prompts', file), 'utf8'));
  });

  it('loads one built-in agent per file of agents/, named by the file', async () => {
    const agents = await builtinAgents();
    expect(agents.map((a) => `${a.name}.md`).sort()).toEqual(markdown('agents'));
    expect(agents.every((a) => a.source.startsWith('built-in agents/'))).toBe(true);
  });
});
