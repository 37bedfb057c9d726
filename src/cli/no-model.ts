import { DEFAULT_MODEL_FOR_KEY } from '../eval/model-source.js';

/**
 * What `run` (and every command that needs a model) prints when no model is configured: how to set
 * up each provider, and how to run offline without a key.
 */
export function noModelHelp(command: string): string {
  return [
    `taskforce ${command}: no model is configured.`,
    '',
    'Configure one of these (environment variables, or --model on the command):',
    '',
    '  Anthropic',
    '    export ANTHROPIC_API_KEY=sk-ant-...',
    `    (uses ${DEFAULT_MODEL_FOR_KEY.ANTHROPIC_API_KEY}; pick another with TASKFORCE_MODEL=anthropic:claude-sonnet-4-5)`,
    '',
    '  OpenAI',
    '    export OPENAI_API_KEY=sk-...',
    `    (uses ${DEFAULT_MODEL_FOR_KEY.OPENAI_API_KEY}; pick another with TASKFORCE_MODEL=openai:gpt-5)`,
    '',
    '  An OpenAI-compatible local server (Ollama, vLLM, LM Studio), no key needed',
    '    export TASKFORCE_MODEL=openai:llama3.2',
    '    export OPENAI_BASE_URL=http://localhost:11434/v1   (vLLM :8000/v1, LM Studio :1234/v1)',
    '',
    '  Or per command:  taskforce run --model anthropic:claude-haiku-4-5 "your goal"',
    '',
    'Offline, with no key and no network:',
    '  npm run demo                                    the example goal end to end, on scripted replies',
    `  taskforce ${command} --scripted FILE ...          replies written by hand (.json, .yaml, or .mjs)`,
    `  taskforce ${command} --cassette FILE.jsonl ...    replay a cassette recorded earlier`,
  ].join('\n');
}
