import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvalSuiteError } from './errors.js';
import { loadSuite } from './load-suite.js';

async function suiteFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'taskforce-suite-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('loadSuite', () => {
  it('loads YAML and resolves relative files against the suite folder', async () => {
    const path = await suiteFile('s.yaml', 'name: s\nmodel: { scripted: replies.json }\ncases:\n  - name: c\n    goal: g\n    checks: [{ type: contains, value: x }]\n');
    const suite = await loadSuite(path);
    expect(suite.spec.name).toBe('s');
    expect(suite.baseDir).toBe(join(path, '..'));
  });

  it('names the field and the line of a wrong YAML suite', async () => {
    const path = await suiteFile('s.yaml', 'name: s\ncases:\n  - name: c\n    goal: g\n    checks:\n      - type: contains\n        value: 3\n');
    await expect(loadSuite(path)).rejects.toThrow(/cases\[0\]\.checks\[0\]\.value \(line 7\): Invalid input: expected string or array, received number/);
  });

  it('refuses a YAML bomb (aliases that expand exponentially) with EvalSuiteError naming the file', async () => {
    const laughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f'].entries()) laughs.push(`${name}: &${name} [${Array(9).fill(`*${'abcde'[i]}`).join(', ')}]`);
    const path = await suiteFile('bomb.yaml', `${laughs.join('\n')}\nname: boom\ncases: []\n`);
    const error = await loadSuite(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvalSuiteError);
    expect(error).toMatchObject({ code: 'EVAL_SUITE_INVALID', file: path });
    expect((error as Error).message).toContain(`${path}: invalid YAML: Excessive alias count`);
  });

  it('rejects a case with both a goal and a task, and one with neither', async () => {
    const both = await suiteFile('b.json', JSON.stringify({ name: 'b', cases: [{ name: 'c', goal: 'g', task: { agent: 'a', prompt: 'p' }, checks: [{ type: 'contains', value: 'x' }] }] }));
    await expect(loadSuite(both)).rejects.toThrow('exactly one of "goal" or "task"');
    const neither = await suiteFile('n.json', JSON.stringify({ name: 'n', cases: [{ name: 'c', checks: [{ type: 'contains', value: 'x' }] }] }));
    await expect(loadSuite(neither)).rejects.toThrow('exactly one of "goal" or "task"');
  });

  it('loads an ES module suite with functions and zod schemas', async () => {
    const path = await suiteFile(
      's.mjs',
      "export default { name: 'm', cases: [{ name: 'c', goal: 'g', checks: [{ type: 'custom', name: 'f', fn: (o) => o.length > 0 }] }] };\n",
    );
    const suite = await loadSuite(path);
    const check = suite.spec.cases[0]!.checks[0]!;
    expect(check.type === 'custom' && typeof check.fn).toBe('function');
  });

  it('imports a TypeScript suite when a TS loader is active (here: vitest)', async () => {
    const suite = await loadSuite('test/eval/fixtures/typed-suite.ts');
    expect(suite.spec.name).toBe('typed');
  });

  it('says which file is missing, and rejects unknown extensions', async () => {
    await expect(loadSuite('no/such/suite.yaml')).rejects.toThrow('no/such/suite.yaml: no such file');
    await expect(loadSuite('suite.toml')).rejects.toThrow('unsupported suite file ".toml"');
  });
});
