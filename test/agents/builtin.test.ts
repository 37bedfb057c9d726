import { describe, expect, it } from 'vitest';
import { builtinAgents, CAPABILITY_VOCABULARY, createAgentRegistry, createMatcher, type MatchTask } from '../../src/agents/index.js';

describe('the built-in agent library', () => {
  it('loads the eleven agents', async () => {
    const agents = await builtinAgents();
    expect(agents.map((a) => a.name).sort()).toEqual(
      ['analyst', 'coder', 'critic', 'editor', 'generalist', 'planner', 'researcher', 'reviewer', 'synthesizer', 'tester', 'writer'].sort(),
    );
  });

  it('gives every agent capabilities from the documented vocabulary', async () => {
    for (const agent of await builtinAgents()) {
      expect(agent.capabilities.length, agent.name).toBeGreaterThan(0);
      for (const cap of agent.capabilities) expect(Object.keys(CAPABILITY_VOCABULARY), `${agent.name}: ${cap}`).toContain(cap);
    }
  });

  it('uses every capability of the vocabulary in at least one agent', async () => {
    const declared = new Set((await builtinAgents()).flatMap((a) => a.capabilities));
    expect([...declared].sort()).toEqual(Object.keys(CAPABILITY_VOCABULARY).sort());
  });

  it('gives every agent a prompt with a method, an output format and limits', async () => {
    for (const agent of await builtinAgents()) {
      expect(agent.systemPrompt, agent.name).toMatch(/^You are /);
      expect(agent.systemPrompt, agent.name).toContain('## Method');
      expect(agent.systemPrompt, agent.name).toContain('## Output');
      expect(agent.systemPrompt, agent.name).toContain('## Do not');
      expect(agent.metadata, agent.name).toEqual({});
    }
  });

  it('builds a registry without duplicate names', async () => {
    const registry = createAgentRegistry(await builtinAgents());
    expect(registry.list()).toHaveLength(11);
    expect(registry.require('synthesizer').capabilities).toContain('synthesis');
  });
});

describe('matching tasks to the built-in agents', () => {
  // Task → the agent a person would pick. Half give capabilities (as the planner does), half only text.
  const labelled: [MatchTask, string][] = [
    [{ capabilities: ['planning'], text: 'Plan the migration of the billing service to Postgres' }, 'planner'],
    [{ text: 'Break the database migration into ordered steps with dependencies and effort estimates' }, 'planner'],
    [{ capabilities: ['research'], text: 'Collect what is published about vector database benchmarks' }, 'researcher'],
    [{ text: 'Find sources on the history of the printing press and check the dates they give' }, 'researcher'],
    [{ capabilities: ['data-analysis'], text: 'Work out the monthly churn rate from the exported table' }, 'analyst'],
    [{ text: 'Compare three hosting options on cost and latency and recommend one' }, 'analyst'],
    [{ capabilities: ['code'], text: 'Implement a CSV parser in TypeScript' }, 'coder'],
    [{ text: 'Fix the bug where the parser crashes on empty input' }, 'coder'],
    [{ capabilities: ['review', 'security'], text: 'Check the login handler change before merge' }, 'reviewer'],
    [{ text: 'Review the pull request for security problems and maintainability' }, 'reviewer'],
    [{ capabilities: ['testing'], text: 'Cover the date parser with unit tests, leap years included' }, 'tester'],
    [{ capabilities: ['writing', 'documentation'], text: 'Write the README for the command-line tool' }, 'writer'],
    [{ text: 'Write a user guide explaining how to install and configure the tool' }, 'writer'],
    [{ capabilities: ['editing'], text: 'Tighten the draft blog post and fix its structure' }, 'editor'],
    [{ text: 'Edit this essay draft for clarity and fix the order of its sections' }, 'editor'],
    [{ capabilities: ['critique'], text: 'Find the flaws in the proposed migration plan before we commit to it' }, 'critic'],
    [{ text: 'Critique the argument of this essay: which assumptions are weakest and which objections does it ignore?' }, 'critic'],
    [{ capabilities: ['synthesis'], text: 'Combine the three research notes into one answer' }, 'synthesizer'],
    [{ text: 'Merge the contributions of the other agents into one coherent final report, resolving conflicts' }, 'synthesizer'],
    [{ capabilities: ['general'], text: 'Answer the question' }, 'generalist'],
    [{ text: 'What is the capital of Burkina Faso?' }, 'generalist'],
  ];

  it.each(labelled)('%o → %s', async (task, expected) => {
    const matcher = createMatcher(await builtinAgents());
    const [best] = matcher.rank(task, { limit: 3 });
    expect(best?.agent.name, JSON.stringify(matcher.rank(task, { limit: 3 }).map((m) => [m.agent.name, m.reason]))).toBe(expected);
  });

  it('explains a full-coverage match in its reason', async () => {
    const matcher = createMatcher(await builtinAgents());
    const [best] = matcher.rank({ capabilities: ['Code', 'refactoring'], text: 'Refactor the parser module' });
    expect(best?.agent.name).toBe('coder');
    expect(best?.capabilityCoverage).toBe(1);
    expect(best?.reason).toMatch(/^covers 2\/2 capabilities \(code, refactoring\); text relevance \d+(\.\d+)?$/);
  });
});
