import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_FOR_KEY, modelFromEnvironment } from './model-from-env.js';

describe('modelFromEnvironment', () => {
  it('takes TASKFORCE_MODEL first, whatever keys are set', () => {
    expect(modelFromEnvironment({ TASKFORCE_MODEL: ' openai:gpt-5 ', ANTHROPIC_API_KEY: 'k' })).toBe('openai:gpt-5');
  });

  it("picks the provider's default model for a bare key, Anthropic before OpenAI", () => {
    expect(modelFromEnvironment({ OPENAI_API_KEY: 'k' })).toBe(DEFAULT_MODEL_FOR_KEY.OPENAI_API_KEY);
    expect(modelFromEnvironment({ ANTHROPIC_API_KEY: 'k', OPENAI_API_KEY: 'k' })).toBe(DEFAULT_MODEL_FOR_KEY.ANTHROPIC_API_KEY);
  });

  it('is undefined when nothing (or only blanks) is set', () => {
    expect(modelFromEnvironment({})).toBeUndefined();
    expect(modelFromEnvironment({ TASKFORCE_MODEL: ' ', OPENAI_API_KEY: '' })).toBeUndefined();
  });
});
