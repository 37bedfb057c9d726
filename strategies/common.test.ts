import { describe, expect, it } from 'vitest';
import { AbortedError, ConfigError } from '../src/errors/taskforce-error.js';
import { BudgetExceededError } from '../src/errors/budget-errors.js';
import { DATA_BLOCKS_LABEL } from '../src/util/data-blocks.js';
import { isNoFault, taskKind, taskPrompt } from './common.js';
import { promptTemplate } from './prompts.js';
import { testTask } from './test-support.js';

describe('strategy helpers', () => {
  it('keys the kind of work by normalised, sorted, unique capabilities', () => {
    expect(taskKind({ capabilities: ['Tests', 'code', ' code ', 'Data Analysis'] })).toBe('code+data-analysis+tests');
    expect(taskKind({ capabilities: [] })).toBe('*');
    // The same canonical form as the agent matcher and the plan checks: `Code_Review` is `code-review`.
    expect(taskKind({ capabilities: ['Code_Review', 'code review', '-tests-'] })).toBe('code-review+tests');
  });

  it('gives agents the goal, the task and the outputs of its dependencies', () => {
    const prompt = taskPrompt({ goal: 'Ship v2', task: testTask({ title: 'Notes', instructions: 'Write release notes.' }), inputs: { changelog: '- fixed parser' } });
    expect(prompt).toContain('Overall goal: Ship v2');
    expect(prompt).toContain('Write release notes.');
    // As a labelled data block: material for the task, not instructions to follow.
    expect(prompt).toContain(`${DATA_BLOCKS_LABEL}\n\n<input task="changelog">\n- fixed parser\n</input>`);
  });

  it('does not blame agents for cancellation or budgets', () => {
    expect(isNoFault(new AbortedError())).toBe(true);
    expect(isNoFault(new BudgetExceededError('tokens', 10, 10))).toBe(true);
    expect(isNoFault(new Error('agent crashed'))).toBe(false);
    expect(isNoFault(new Error('x'), AbortSignal.abort())).toBe(true);
  });

  it('ships every prompt template the strategies use, with the placeholders they fill', () => {
    const used: Record<string, string[]> = {
      vote: ['task', 'voters'],
      conflict: ['task', 'options', 'own', 'round', 'quorum'],
      judge: ['title', 'instructions', 'count', 'answers'],
      bid: ['task', 'effort', 'agent'],
      'leader-split': ['task', 'team', 'maxSubtasks', 'mayDelegate'],
      'leader-integrate': ['task', 'reports'],
      assess: ['goal', 'title', 'instructions', 'output'],
    };
    for (const [name, keys] of Object.entries(used)) {
      const template = promptTemplate(name as Parameters<typeof promptTemplate>[0]);
      const placeholders = [...template.matchAll(/\{\{\s*([\w-]+)\s*\}\}/g)].map((m) => m[1]);
      expect({ name, placeholders: [...new Set(placeholders)].sort() }).toEqual({ name, placeholders: [...keys].sort() });
    }
    expect(promptTemplate('vote', { vote: 'custom {{task}}' })).toBe('custom {{task}}');
  });
});
