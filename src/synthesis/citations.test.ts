import { describe, expect, it } from 'vitest';
import { citationProblems, findCitations } from './citations.js';

const known = new Set(['market-size', 'rivals', 't3']);

describe('findCitations', () => {
  it('maps each marked paragraph to the ids it cites, without the markers', () => {
    const text = 'The market is worth $4B [market-size].\n\nAcme leads [rivals, market-size]; Globex follows [rivals].';
    expect(findCitations(text, known)).toEqual({
      citations: [
        { part: 'The market is worth $4B.', taskIds: ['market-size'] },
        { part: 'Acme leads; Globex follows.', taskIds: ['rivals', 'market-size'] },
      ],
      unknownIds: [],
    });
  });

  it('reports id-like markers that name no known task', () => {
    const found = findCitations('Claim one [t3].\n\nClaim two [t9].\n\nClaim three [t9, rivals].', known);
    expect(found.unknownIds).toEqual(['t9']);
    expect(found.citations).toEqual([
      { part: 'Claim one.', taskIds: ['t3'] },
      { part: 'Claim three.', taskIds: ['rivals'] },
    ]);
  });

  it('ignores Markdown links, bracketed prose and code', () => {
    const text = [
      'See [the docs](https://example.com) and [as noted above] for more [t3].',
      '',
      'Use `arr[i]` to index.',
      '',
      '```ts',
      'const x = y[k];',
      '',
      'const z = w[k2];',
      '```',
    ].join('\n');
    const found = findCitations(text, known);
    expect(found.unknownIds).toEqual([]);
    expect(found.citations).toEqual([{ part: 'See [the docs](https://example.com) and [as noted above] for more.', taskIds: ['t3'] }]);
  });

  it('finds nothing in an answer without markers', () => {
    expect(findCitations('Just prose.', known)).toEqual({ citations: [], unknownIds: [] });
  });
});

describe('citationProblems', () => {
  it('names each unknown id and the ids that may be cited', () => {
    expect(citationProblems([{ part: 'x', taskIds: ['t3'] }], ['t9'], ['t3', 'rivals'])).toEqual([
      'cites unknown task id "t9"; cite only these ids: "t3", "rivals"',
    ]);
  });

  it('asks for citations when there are none', () => {
    expect(citationProblems([], [], ['t3'])).toEqual([expect.stringContaining('cites no sources')]);
  });
});
