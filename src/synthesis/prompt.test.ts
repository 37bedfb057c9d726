import { describe, expect, it } from 'vitest';
import { readPromptTemplate } from '../util/prompt-template.js';
import { renderSources } from './prompt.js';

describe('shipped templates', () => {
  it.each([
    ['synthesizer.md', ['goal', 'results', 'format']],
    ['judge-rubric.md', ['goal', 'rubric', 'answer']],
  ])('%s uses exactly the placeholders the code provides', (name, keys) => {
    const used = [...readPromptTemplate(name).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);
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
