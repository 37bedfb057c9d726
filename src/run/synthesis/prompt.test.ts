import { describe, expect, it } from 'vitest';
import { fillTemplate, loadPromptTemplate, renderSources } from './prompt.js';

describe('fillTemplate', () => {
  it('fills placeholders without expanding braces inside the values', () => {
    expect(fillTemplate('Goal: {{goal}} / {{ results }}', { goal: 'use {{results}}', results: 'r' }, 't.md')).toBe('Goal: use {{results}} / r');
  });

  it('names the template and the placeholder when a value is missing', () => {
    expect(() => fillTemplate('{{goal}} {{rubric}}', { goal: 'g' }, 'judge-rubric.md')).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR', message: expect.stringContaining('"judge-rubric.md" uses {{rubric}}') }),
    );
  });
});

describe('shipped templates', () => {
  it.each([
    ['synthesizer.md', ['goal', 'results', 'format']],
    ['judge-rubric.md', ['goal', 'rubric', 'answer']],
  ])('%s uses exactly the placeholders the code provides', (name, keys) => {
    const used = [...loadPromptTemplate(name).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);
    expect(new Set(used)).toEqual(new Set(keys));
  });
});

describe('renderSources', () => {
  it('tags each result with its id, title and agents', () => {
    expect(renderSources([{ taskId: 't1', title: 'Say "hi"', output: ' hello \n', agents: ['a', 'b'] }])).toBe(
      `<result id="t1" title="Say 'hi'" agents="a, b">\nhello\n</result>`,
    );
  });
});
