import { describe, expect, it } from 'vitest';
import { AgentDefinitionError } from './errors.js';
import { parseFrontmatter } from './frontmatter.js';

describe('parseFrontmatter', () => {
  it('returns undefined when the file does not start with a fence', () => {
    expect(parseFrontmatter('# Title\n---\nname: x\n---\n', 'a.md')).toBeUndefined();
    expect(parseFrontmatter('', 'a.md')).toBeUndefined();
  });

  it('maps field paths to file lines, counting the blank lines before the fence', () => {
    const text = '\n---\nname: x\ntools:\n  - Read\n  - Grep\nhooks:\n  pre: |\n    echo\n---\nbody\n';
    const parsed = parseFrontmatter(text, 'a.md')!;
    expect(parsed.openLine).toBe(2);
    expect(parsed.lineOf(['name'])).toBe(3);
    expect(parsed.lineOf(['tools', 1])).toBe(6);
    expect(parsed.lineOf(['hooks', 'pre'])).toBe(8);
    expect(parsed.lineOf(['missing'])).toBeUndefined();
    expect(parsed.bodyLine).toBe(11);
    expect(parsed.body).toBe('body\n');
  });

  it('names the file, line and field of a YAML error', () => {
    const attempt = () => parseFrontmatter('---\nname: x\nbad: [1, 2\n---\n', 'agents/x.md');
    expect(attempt).toThrow(AgentDefinitionError);
    expect(attempt).toThrow(/^agents\/x\.md:3: field "bad": invalid YAML: /);
  });

  it('points inside a long value at the error, and at the field when the value never closed', () => {
    const inside = '---\nname: x\ntools:\n  - Read\n  - "Grep" extra\n  - Write\ndescription: d\n---\n';
    expect(() => parseFrontmatter(inside, 'a.md')).toThrow(/^a\.md:5: field "tools": invalid YAML: Unexpected scalar/);
    // The unclosed quote runs on to the end of the frontmatter; the cause is where it opened.
    const unclosed = '---\nname: x\ndescription: "never closed\ncolor: red\n---\n';
    expect(() => parseFrontmatter(unclosed, 'a.md')).toThrow(/^a\.md:3: field "description": invalid YAML: Missing closing "quote/);
  });

  it('names no field when the error is not inside one', () => {
    expect(() => parseFrontmatter('---\n- a\n- [b\n---\n', 'a.md')).toThrow(/^a\.md:3: invalid YAML: /);
  });

  it('refuses alias bombs', () => {
    const bomb = ['---', 'a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => {
      const prev = i === 0 ? 'a' : `l${i - 1}`;
      return `l${i}: &l${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
    }), '---', ''].join('\n');
    expect(() => parseFrontmatter(bomb, 'bomb.md')).toThrow(/^bomb\.md:1: invalid YAML: /);
  });
});
