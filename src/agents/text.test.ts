import { describe, expect, it } from 'vitest';
import { stem, tokenize } from './text.js';

describe('tokenize', () => {
  it('lower-cases, drops stop words and punctuation, keeps numbers and non-ASCII words', () => {
    expect(tokenize('Write the Tests for ÜBER-parser v2, and 2024!')).toEqual(['writ', 'test', 'über', 'pars', 'v2', '2024']);
  });

  it('splits ASCII text as the Unicode rule does (letters and digits make words)', () => {
    const byUnicodeRule = (text: string) => tokenize(`${text} über`).slice(0, -1);
    for (const text of ['Re-write_the  API; v2.0 (beta)!', 'a\tb\nc--DONE...42x', "it's the user's 3rd try: fix#7/8"])
      expect(tokenize(text)).toEqual(byUnicodeRule(text));
  });

  it('brings word forms of one idea together', () => {
    const same = (words: string[]) => expect(new Set(words.map(stem)).size, words.join(', ')).toBe(1);
    same(['test', 'tests', 'tested', 'testing', 'tester']);
    same(['code', 'codes', 'coding', 'coder']);
    same(['plan', 'plans', 'planning', 'planner']);
    same(['write', 'writing', 'writer']);
    same(['analysis', 'analyse', 'analyze', 'analyst']);
    same(['estimate', 'estimation']);
    same(['summary', 'summaries']);
    same(['document', 'documentation']);
  });

  it('leaves short words and numbers alone', () => {
    expect(stem('bug')).toBe('bug');
    expect(stem('1999')).toBe('1999');
    expect(stem('need')).toBe('need');
  });
});
