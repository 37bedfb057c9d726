import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentDefinitionError, loadAgents, parseAgentMarkdown, type AgentLoadProblem, type AgentWarning } from '../../src/agents/index.js';

// A folder as people have them: claude-flow files (capabilities as a mapping, `priority: normal`,
// hooks as lists), Claude Code files, and one file that is truly broken.
const MIXED = join('test', 'fixtures', 'agents-mixed');

describe('loadAgents on a folder with one invalid file', () => {
  it('loads the five valid agents and reports the invalid file with its line and field', async () => {
    const seen: AgentLoadProblem[] = [];
    const { agents, problems } = await loadAgents(MIXED, { onProblem: (p) => seen.push(p) });
    expect(agents.map((a) => a.name).sort()).toEqual(['code-reviewer', 'debugger', 'hooked-coder', 'system-architect', 'task-coordinator']);
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem).toMatchObject({ file: join(MIXED, 'broken.md'), line: 4, field: 'tools' });
    expect(problem!.problem).toMatch(/^invalid YAML: /);
    expect(problem!.message).toBe(`${join(MIXED, 'broken.md')}:4: field "tools": ${problem!.problem}`);
    expect(problem!.error).toBeInstanceOf(AgentDefinitionError);
    expect(seen).toEqual(problems);
  });

  it('in strict mode fails on the invalid file, as AgentDefinitionError naming file, line and field', async () => {
    const error = await loadAgents(MIXED, { strict: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentDefinitionError);
    expect(error).toMatchObject({ code: 'AGENT_DEFINITION_INVALID', file: join(MIXED, 'broken.md'), line: 4, field: 'tools' });
  });
});

describe('shapes other harnesses write', () => {
  async function byName() {
    const { agents, warnings } = await loadAgents(MIXED);
    return { agents: new Map(agents.map((a) => [a.name, a])), warnings };
  }

  it('reads a capabilities mapping: allowed_tools narrows the tools, restricted_tools denies, the rest is metadata', async () => {
    const architect = (await byName()).agents.get('system-architect')!;
    // `tools` also lists Bash: only tools both lists allow are kept.
    expect(architect.tools).toEqual(['Read', 'Write', 'Grep', 'Glob']);
    expect(architect.disallowedTools).toEqual(['Edit', 'Bash']);
    expect(architect.capabilities).toEqual([]);
    expect(architect.metadata.capabilities).toEqual({ max_file_operations: 30, memory_access: 'both' });
  });

  it('reads priority "normal" as medium, with a warning at its line', async () => {
    const { agents, warnings } = await byName();
    expect(agents.get('task-coordinator')!.priority).toBe('medium');
    const note = warnings.find((w: AgentWarning) => w.code === 'PRIORITY_ALIAS');
    expect(note).toMatchObject({ file: join(MIXED, 'coordinator.md'), line: 7 });
    expect(note!.message).toBe(`${join(MIXED, 'coordinator.md')}:7: priority "normal" read as "medium"`);
  });

  it('keeps hooks given as lists of commands, in order', async () => {
    const hooked = (await byName()).agents.get('hooked-coder')!;
    expect(hooked.hooks).toEqual({ pre: ['echo "starting"', 'memory_store "task_start" "$(date)"'], post: ['echo "done"'] });
    expect(Object.isFrozen(hooked.hooks!.pre)).toBe(true);
  });

  it('still reads plain Claude Code files', async () => {
    const reviewer = (await byName()).agents.get('code-reviewer')!;
    expect(reviewer.tools).toEqual(['Read', 'Grep', 'Glob', 'Bash']);
    expect(reviewer.model).toBeUndefined();
  });
});

describe('a capabilities mapping that is itself invalid', () => {
  it('names the field inside the mapping', () => {
    const text = '---\nname: odd\ndescription: Odd tools\ncapabilities:\n  allowed_tools:\n    - Read\n    - 42\n---\nBody.\n';
    const error = (() => {
      try {
        parseAgentMarkdown(text, 'odd.md');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AgentDefinitionError);
    expect(error).toMatchObject({ line: 7, field: 'capabilities.allowed_tools.1', problem: 'expected a name, got 42' });
  });
});
