import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/taskforce-error.js';
import { fillTemplate, readPromptTemplate } from './prompt-template.js';

describe('prompt templates', () => {
  it('fills placeholders (spaces allowed) without expanding braces inside the values', () => {
    expect(fillTemplate('Goal: {{goal}} / {{ results }} / {{n}}', { goal: 'use {{results}}', results: 'r', n: 2 }, 't')).toBe(
      'Goal: use {{results}} / r / 2',
    );
  });

  it('names the template, the placeholder and the known values when a value is missing', () => {
    expect(() => fillTemplate('{{task}} {{own}}', { task: 't' }, 'conflict')).toThrow(
      'prompt template "conflict" uses {{own}}, which has no value (known: task)',
    );
  });

  it('rejects a template that lacks a required placeholder', () => {
    expect(() => fillTemplate('no goal here', { goal: 'g' }, 'planner', ['goal'])).toThrow(ConfigError);
    expect(() => fillTemplate('no goal here', { goal: 'g' }, 'planner', ['goal'])).toThrow('lacks the {{goal}} placeholder');
  });

  it('reads shipped templates with or without the .md suffix, and names a missing one', () => {
    expect(readPromptTemplate('planner')).toBe(readPromptTemplate('planner.md'));
    expect(() => readPromptTemplate('no-such-template')).toThrow(/cannot read prompt template "no-such-template": prompts\/no-such-template.md does not exist/);
  });
});
