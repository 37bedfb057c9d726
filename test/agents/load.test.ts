import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/taskforce-error.js';
import {
  AgentDefinitionError,
  AgentLoadError,
  DuplicateAgentError,
  loadAgents,
  type AgentDefinition,
  type AgentWarning,
} from '../../src/agents/index.js';

const FIXTURES = join('test', 'fixtures', 'agents');
const VALID = join(FIXTURES, 'valid');
const BROKEN = join(FIXTURES, 'broken');

async function validAgents(): Promise<{ byName: Map<string, AgentDefinition>; warnings: readonly AgentWarning[] }> {
  const { agents, warnings } = await loadAgents(VALID);
  return { byName: new Map(agents.map((a) => [a.name, a])), warnings };
}

async function loadError(path: string): Promise<AgentDefinitionError> {
  const error = await loadAgents(path, { strict: true }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AgentDefinitionError);
  return error as AgentDefinitionError;
}

describe('loadAgents on files people already have', () => {
  it('loads every agent in the tree, nested folders included, in path order', async () => {
    const { agents } = await loadAgents(VALID);
    expect(agents.map((a) => a.source)).toEqual([...agents.map((a) => a.source)].sort());
    expect(agents.map((a) => a.name).sort()).toEqual(
      [
        'anchored',
        'block-scalars',
        'code-reviewer',
        'comments-and-rules',
        'crlf-endings',
        'debugger',
        'empty-body',
        'flow-style',
        'git-historian',
        'hooked',
        'leading-blank',
        'minimal',
        'nested-agent',
        'null-fields',
        'quoted-keys',
        'sparc-coder',
        'with-bom',
        'übersetzer',
      ].sort(),
    );
    expect(agents.find((a) => a.name === 'nested-agent')?.source).toBe(join(VALID, 'nested', 'deep', 'nested-agent.md'));
  });

  it('skips dot-folders', async () => {
    const { byName } = await validAgents();
    expect(byName.has('hidden')).toBe(false);
  });

  it('reads a minimal Claude Code sub-agent: body is the system prompt, no capabilities', async () => {
    const { byName } = await validAgents();
    const minimal = byName.get('minimal')!;
    expect(minimal.description).toBe('The smallest Claude Code sub-agent that works');
    expect(minimal.systemPrompt).toBe('You are a minimal agent. Answer briefly.');
    expect(minimal.capabilities).toEqual([]);
    expect(minimal.tools).toBeUndefined();
    expect(minimal.metadata).toEqual({});
  });

  it('splits Claude Code comma-string tools and keeps model and color', async () => {
    const { byName } = await validAgents();
    const reviewer = byName.get('code-reviewer')!;
    expect(reviewer.tools).toEqual(['Read', 'Grep', 'Glob', 'Bash']);
    expect(reviewer.model).toBe('sonnet');
    expect(reviewer.color).toBe('blue');
    expect(reviewer.systemPrompt).toMatch(/^You are a senior code reviewer[\s\S]*3\. Begin review immediately$/);
  });

  it('keeps commas inside tool patterns such as Bash(git log:*, git show:*)', async () => {
    const { byName } = await validAgents();
    expect(byName.get('git-historian')!.tools).toEqual(['Read', 'Bash(git log:*, git show:*)', 'Bash(git blame:*)', 'Grep']);
  });

  it('treats model: inherit as no model of its own', async () => {
    const { byName } = await validAgents();
    const debuggerAgent = byName.get('debugger')!;
    expect(debuggerAgent.model).toBeUndefined();
    expect('model' in debuggerAgent).toBe(false);
  });

  it('reads the rich community format: capabilities normalised, multi-line hooks (trimmed), extra fields in metadata', async () => {
    const { byName } = await validAgents();
    const sparc = byName.get('sparc-coder')!;
    expect(sparc.type).toBe('development');
    expect(sparc.priority).toBe('high');
    expect(sparc.color).toBe('#FF6B35');
    expect(sparc.capabilities).toEqual(['code-generation', 'refactoring', 'unit-testing', 'api-design']);
    expect(sparc.hooks?.pre).toBe('echo "💻 SPARC coder starting: $TASK"\nnpm run lint --if-present');
    expect(sparc.hooks?.post).toBe('echo "✅ Implementation complete"\nnpm test --if-present');
    expect(sparc.metadata).toEqual({ version: '2.0.0', author: { name: 'Swarm Team', tags: ['tdd', 'sparc'] } });
    expect(sparc.systemPrompt.startsWith('# SPARC Implementation Specialist')).toBe(true);
  });

  it('keeps unknown Claude Code fields such as permissionMode in metadata', async () => {
    const { byName } = await validAgents();
    expect(byName.get('git-historian')!.metadata).toEqual({ permissionMode: 'plan' });
  });

  it('accepts quoted keys, folded and literal block scalars, and a comma string of capabilities', async () => {
    const { byName } = await validAgents();
    expect(byName.get('quoted-keys')!.description).toBe('Keys in single and double quotes, with a colon: inside the value');
    expect(byName.get('quoted-keys')!.capabilities).toEqual(['research', 'fact-checking']);
    const blocks = byName.get('block-scalars')!;
    expect(blocks.description).toBe('A folded description that spans several lines and is joined with spaces.');
    expect(blocks.capabilities).toEqual(['writing', 'editing']);
    expect(blocks.tools).toEqual(['Read', 'Write']);
  });

  it('resolves anchors, aliases and merge keys before validating', async () => {
    const { byName } = await validAgents();
    const anchored = byName.get('anchored')!;
    expect(anchored.priority).toBe('high');
    expect(anchored.maxTurns).toBe(12);
    expect(anchored.capabilities).toEqual(['analysis', 'data-analysis']);
    expect(anchored.metadata.summary).toBe('Uses YAML anchors, aliases and a merge key');
    expect(anchored.metadata['also-capable']).toEqual(['analysis', 'data_analysis']);
  });

  it('reads a flow-mapping frontmatter with maxTurns, disallowedTools and a hook', async () => {
    const { byName } = await validAgents();
    const flow = byName.get('flow-style')!;
    expect(flow.maxTurns).toBe(7);
    expect(flow.disallowedTools).toEqual(['Bash', 'Write']);
    expect(flow.hooks).toEqual({ pre: 'echo pre' });
  });

  it('handles CRLF line endings and a UTF-8 BOM', async () => {
    const { byName } = await validAgents();
    const crlf = byName.get('crlf-endings')!;
    expect(crlf.systemPrompt).toBe('Line one.\nLine two.');
    expect(crlf.capabilities).toEqual(['review', 'security']);
    expect(crlf.hooks).toEqual({ post: 'echo done' });
    expect(byName.get('with-bom')!.description).toBe('Starts with a UTF-8 byte order mark');
  });

  it('counts empty optional fields as absent and reads priority case-insensitively', async () => {
    const { byName } = await validAgents();
    const nulls = byName.get('null-fields')!;
    expect(nulls.color).toBeUndefined();
    expect(nulls.tools).toBeUndefined();
    expect(nulls.model).toBeUndefined();
    expect(nulls.priority).toBe('medium');
  });

  it('closes frontmatter at the first fence (--- or ...) and keeps later rules in the body', async () => {
    const { byName } = await validAgents();
    const rules = byName.get('comments-and-rules')!;
    expect(rules.name).toBe('comments-and-rules');
    expect(rules.systemPrompt).toContain('After a horizontal rule.');
    expect(rules.systemPrompt.endsWith('name: not-a-field\n---')).toBe(true);
    expect(rules.metadata).toEqual({});
  });

  it('reads non-ASCII names and descriptions', async () => {
    const { byName } = await validAgents();
    expect(byName.get('übersetzer')!.capabilities).toEqual(['writing', 'translation']);
  });

  it('keeps hooks for other harnesses in metadata, runs only pre/post, and warns', async () => {
    const { byName, warnings } = await validAgents();
    const hooked = byName.get('hooked')!;
    expect(hooked.hooks).toEqual({ pre: './scripts/setup.sh' });
    expect(hooked.metadata.hooks).toEqual({
      PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './scripts/validate.sh' }] }],
    });
    const warning = warnings.find((w) => w.code === 'HOOKS_NOT_RUN');
    expect(warning?.file).toBe(join(VALID, 'claude-code-hooks.md'));
    expect(warning?.line).toBe(4);
    expect(warning?.message).toContain('"PreToolUse"');
  });

  it('skips a markdown file without frontmatter with a warning, and a README quietly', async () => {
    const { warnings } = await validAgents();
    const skipped = warnings.filter((w) => w.code === 'NO_FRONTMATTER');
    expect(skipped.map((w) => w.file)).toEqual([join(VALID, 'notes.md')]);
    expect(skipped[0]!.message).toBe(`${join(VALID, 'notes.md')}:1: skipped: no YAML frontmatter (a "---" block at the top), so not an agent`);
  });

  it('loads an agent with an empty body but warns that it has no system prompt', async () => {
    const { byName, warnings } = await validAgents();
    expect(byName.get('empty-body')!.systemPrompt).toBe('');
    expect(warnings.filter((w) => w.code === 'EMPTY_PROMPT').map((w) => w.file)).toEqual([join(VALID, 'empty-body.md')]);
  });

  it('reports each warning to onWarning as well as returning it', async () => {
    const seen: AgentWarning[] = [];
    const { warnings } = await loadAgents(VALID, { onWarning: (w) => seen.push(w) });
    expect(seen).toEqual(warnings);
    expect(seen.length).toBe(3);
  });

  it('returns frozen definitions', async () => {
    const { byName } = await validAgents();
    const sparc = byName.get('sparc-coder')!;
    expect(Object.isFrozen(sparc)).toBe(true);
    expect(Object.isFrozen(sparc.capabilities)).toBe(true);
  });
});

describe('loadAgents on broken files, strict', () => {
  const cases: [file: string, line: number, field: string | undefined, problem: RegExp][] = [
    ['bad-priority.md', 4, 'priority', /^expected one of low\|medium\|high\|critical, got "urgent"$/],
    ['missing-name.md', 1, 'name', /^is required$/],
    ['missing-description.md', 1, 'description', /^is required$/],
    ['bad-yaml.md', 4, 'capabilities', /^invalid YAML: Flow sequence .* end with a \]$/],
    ['unterminated-quote.md', 3, 'description', /^invalid YAML: Missing closing "quote$/],
    ['unclosed-frontmatter.md', 1, undefined, /never closed/],
    ['bad-max-turns.md', 5, 'maxTurns', /^expected a positive integer, got 0$/],
    ['bad-tools-type.md', 4, 'tools', /^expected a list or a comma-separated string, got a mapping$/],
    ['bad-tool-item.md', 7, 'tools.2', /^expected a name, got 42$/],
    ['bad-hook.md', 8, 'hooks.post.1', /^expected a shell command string, got a mapping$/],
    ['not-a-mapping.md', 1, undefined, /^frontmatter must be a mapping of fields .*, got a list$/],
    ['duplicate-key.md', 4, 'name', /^invalid YAML: Map keys must be unique$/],
    ['multiline-name.md', 3, 'name', /^must be a single line$/],
    ['bad-capabilities.md', 4, 'capabilities', /^expected a list or a comma-separated string, got 5$/],
  ];

  it.each(cases)('%s: line %i, field %s', async (name, line, field, problem) => {
    const path = join(BROKEN, name);
    const error = await loadError(path);
    expect(error.code).toBe('AGENT_DEFINITION_INVALID');
    expect(error.file).toBe(path);
    expect(error.line).toBe(line);
    expect(error.field).toBe(field);
    expect(error.problem).toMatch(problem);
    const prefix = field === undefined ? `${path}:${line}: ` : `${path}:${line}: field "${field}": `;
    expect(error.message).toBe(prefix + error.problem);
  });

  it('covers every file of the broken folder', async () => {
    expect((await readdir(BROKEN)).sort()).toEqual(cases.map((c) => c[0]).sort());
  });

  it('collects every broken file of a folder into one AgentLoadError, in path order', async () => {
    const error = await loadAgents(BROKEN, { strict: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AgentLoadError);
    const load = error as AgentLoadError;
    expect(load.code).toBe('AGENT_LOAD_FAILED');
    expect(load.errors.map((e) => (e as AgentDefinitionError).file)).toEqual(cases.map((c) => join(BROKEN, c[0])).sort());
    expect(load.message).toContain(`${join(BROKEN, 'bad-priority.md')}:4: field "priority"`);
  });

  it('without strict, skips every broken file of a folder and reports each with its line and field', async () => {
    const { agents, problems } = await loadAgents(BROKEN);
    expect(agents).toEqual([]);
    expect(problems.map((p) => [p.file, p.line, p.field])).toEqual(
      cases.map(([file, line, field]) => [join(BROKEN, file), line, field]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(problems.every((p) => p.message === p.error.message && p.error instanceof AgentDefinitionError)).toBe(true);
  });

  it('names both files (and their name lines) when two agents share a name', async () => {
    const error = await loadAgents(join(FIXTURES, 'duplicates')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DuplicateAgentError);
    const duplicate = error as DuplicateAgentError;
    expect(duplicate.code).toBe('AGENT_DUPLICATE_NAME');
    const a = join(FIXTURES, 'duplicates', 'a', 'coder.md');
    const b = join(FIXTURES, 'duplicates', 'b', 'coder.md');
    expect(duplicate.message).toBe(`agent "coder" is defined twice: ${a}:2 and ${b}:3`);
  });

  it('finds duplicates across the directories given', async () => {
    const a = join(FIXTURES, 'duplicates', 'a');
    const b = join(FIXTURES, 'duplicates', 'b');
    await expect(loadAgents([a, b])).rejects.toThrow(DuplicateAgentError);
    await expect(loadAgents(a)).resolves.toMatchObject({ agents: [{ name: 'coder', description: 'The first coder' }] });
  });

  it('says which directory is missing', async () => {
    const missing = join(FIXTURES, 'no-such-folder');
    const error = await loadAgents(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`agents directory "${missing}" does not exist`);
  });
});

describe('loadAgents at scale', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('loads hundreds of files across nested folders, sorted by path', async () => {
    dir = await mkdtemp(join(tmpdir(), 'taskforce-agents-'));
    const written: string[] = [];
    for (let group = 0; group < 12; group++) {
      const sub = join(dir, `group-${String(group).padStart(2, '0')}`, 'inner');
      await mkdir(sub, { recursive: true });
      for (let i = 0; i < 30; i++) {
        const file = join(sub, `agent-${String(i).padStart(2, '0')}.md`);
        written.push(file);
        await writeFile(file, `---\nname: agent-${group}-${i}\ndescription: Agent ${i} of group ${group}\ncapabilities: [cap-${i % 7}]\n---\nPrompt ${group}/${i}.\n`);
      }
    }
    const { agents, warnings } = await loadAgents(dir, { concurrency: 8 });
    expect(warnings).toEqual([]);
    expect(agents).toHaveLength(360);
    expect(agents.map((a) => a.source)).toEqual(written.sort());
    expect(agents[31]).toMatchObject({ name: 'agent-1-1', capabilities: ['cap-1'], systemPrompt: 'Prompt 1/1.' });
  });
});
