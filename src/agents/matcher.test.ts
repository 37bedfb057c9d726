import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentDefinition, AgentPriority } from './types.js';
import { defineAgent } from './define.js';
import { createMatcher } from './matcher.js';

const agent = (name: string, capabilities: string[], text = '', priority?: AgentPriority): AgentDefinition =>
  defineAgent({
    name,
    description: `${name} agent ${text}`.trim(),
    systemPrompt: `You are ${name}.`,
    capabilities,
    ...(priority ? { priority } : {}),
  });

const names = (matches: readonly { agent: AgentDefinition }[]) => matches.map((m) => m.agent.name);

describe('createMatcher().rank', () => {
  it('puts full capability coverage above any text relevance', () => {
    const matcher = createMatcher([
      agent('wordy', ['code'], 'parser parser parser csv csv parsing parse'),
      agent('covers-all', ['code', 'testing']),
    ]);
    const ranked = matcher.rank({ capabilities: ['code', 'testing'], text: 'csv parser' });
    expect(names(ranked)).toEqual(['covers-all', 'wordy']);
    expect(ranked[0]!.capabilityCoverage).toBe(1);
    expect(ranked[1]!.capabilityCoverage).toBe(0.5);
    expect(ranked[1]!.textRelevance).toBeGreaterThan(0);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
  });

  it('breaks equal coverage by text relevance', () => {
    const matcher = createMatcher([agent('generic-coder', ['code']), agent('csv-coder', ['code'], 'reads and writes csv files')]);
    expect(names(matcher.rank({ capabilities: ['code'], text: 'fix the csv export' }))).toEqual(['csv-coder', 'generic-coder']);
  });

  it('breaks exact ties by priority, then by name', () => {
    const matcher = createMatcher([
      agent('b-medium', ['code']),
      agent('a-medium', ['code']),
      agent('c-critical', ['code'], '', 'critical'),
      agent('d-low', ['code'], '', 'low'),
    ]);
    expect(names(matcher.rank({ capabilities: ['code'] }))).toEqual(['c-critical', 'a-medium', 'b-medium', 'd-low']);
  });

  it('normalises capability names on both sides', () => {
    const matcher = createMatcher([{ ...agent('reviewer', []), capabilities: ['Code_Review'] }, agent('other', ['writing'])]);
    const [best] = matcher.rank({ capabilities: ['code review'] });
    expect(best?.agent.name).toBe('reviewer');
    expect(best?.reason).toBe('covers 1/1 capabilities (code-review); text relevance 0');
  });

  it('says which capabilities are missing', () => {
    const matcher = createMatcher([agent('coder', ['code'])]);
    expect(matcher.rank({ capabilities: ['code', 'Testing'] })[0]?.reason).toBe(
      'covers 1/2 capabilities (code; missing testing); text relevance 0',
    );
  });

  it('returns only agents that match something, unless asked for all', () => {
    const matcher = createMatcher([agent('coder', ['code']), agent('writer', ['writing']), agent('tester', ['testing'])]);
    expect(names(matcher.rank({ capabilities: ['code'] }))).toEqual(['coder']);
    expect(names(matcher.rank({ capabilities: ['code'] }, { includeUnmatched: true }))).toEqual(['coder', 'tester', 'writer']);
    expect(matcher.rank({ capabilities: ['astrology'] })).toEqual([]);
  });

  it('returns every agent, a generalist first, when nothing in the task discriminates', () => {
    const matcher = createMatcher([agent('coder', ['code']), agent('zed', ['general'], '', 'low'), agent('writer', ['writing'])]);
    expect(names(matcher.rank({ text: 'the of and' }))).toEqual(['zed', 'coder', 'writer']);
    expect(names(matcher.rank('quantum chromodynamics'))).toEqual(['zed', 'coder', 'writer']);
    expect(matcher.rank({}).every((m) => m.capabilityCoverage === 1 && m.textRelevance === 0)).toBe(true);
  });

  it('reads title and instructions, so a TaskSpec can be passed as it is', () => {
    const matcher = createMatcher([agent('poet', [], 'writes sonnets'), agent('accountant', [], 'reconciles ledgers')]);
    expect(names(matcher.rank({ title: 'Ledger', instructions: 'Reconcile the March ledgers', capabilities: [] }))).toEqual([
      'accountant',
    ]);
  });

  it('does not depend on the order agents were given in', () => {
    const agents = [
      agent('a', ['code'], 'python scripts'),
      agent('b', ['code', 'testing'], 'python tests'),
      agent('c', ['testing'], 'test plans'),
      agent('d', ['code'], 'python scripts'),
    ];
    const expected = names(createMatcher(agents).rank({ capabilities: ['code'], text: 'python' }));
    expect(names(createMatcher([...agents].reverse()).rank({ capabilities: ['code'], text: 'python' }))).toEqual(expected);
  });

  it('leaves no state behind between queries', () => {
    const matcher = createMatcher([agent('coder', ['code'], 'python'), agent('tester', ['testing'], 'pytest')]);
    const alone = matcher.rank({ capabilities: ['testing'], text: 'pytest' });
    matcher.rank({ capabilities: ['code', 'testing'], text: 'python pytest' });
    expect(matcher.rank({ capabilities: ['testing'], text: 'pytest' })).toEqual(alone);
  });

  it('with a limit, returns the first matches of the full ranking', () => {
    const vocabulary = ['code', 'testing', 'writing', 'review', 'research'];
    const words = ['parser', 'csv', 'report', 'api', 'docs', 'bug', 'cache', 'index'];
    const agentArb = fc.record({
      caps: fc.subarray(vocabulary),
      words: fc.array(fc.constantFrom(...words), { maxLength: 6 }),
      priority: fc.constantFrom<AgentPriority>('low', 'medium', 'high'),
    });
    fc.assert(
      fc.property(
        fc.array(agentArb, { minLength: 1, maxLength: 25 }),
        fc.subarray(vocabulary),
        fc.array(fc.constantFrom(...words), { maxLength: 4 }),
        fc.integer({ min: 1, max: 8 }),
        (specs, caps, queryWords, limit) => {
          const matcher = createMatcher(specs.map((s, i) => agent(`agent-${i}`, s.caps, s.words.join(' '), s.priority)));
          const task = { capabilities: caps, text: queryWords.join(' ') };
          const full = matcher.rank(task);
          expect(matcher.rank(task, { limit })).toEqual(full.slice(0, limit));
          // Scores agree with the order.
          for (let i = 1; i < full.length; i++) expect(full[i - 1]!.score).toBeGreaterThanOrEqual(full[i]!.score);
        },
      ),
    );
  });
});
