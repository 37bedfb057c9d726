import { DEFAULT_MODEL_FOR_KEY } from '../eval/model-source.js';

/** Current model ids named in the guidance (the Anthropic SDK marks the Sonnet 4.5 ids deprecated). */
const ANTHROPIC_OTHER = 'anthropic:claude-sonnet-5-5';
const OPENAI_OTHER = 'openai:gpt-5';

/**
 * What `run` (and every command that needs a model) prints when no model is configured: how to set
 * up each provider, and how to run offline without a key. `command` is the command the user ran, so
 * every example line is one they can paste.
 */
export function noModelHelp(command: string): string {
  const example = command === 'task' ? 'researcher "your prompt"' : '"your goal"';
  const offline = (call: string, what: string) => `  ${call.padEnd(54)} ${what}`;
  return [
    `taskforce ${command}: no model is configured.`,
    '',
    'Configure one of these (environment variables, or --model on the command):',
    '',
    '  Anthropic',
    '    export ANTHROPIC_API_KEY=sk-ant-...',
    `    (uses ${DEFAULT_MODEL_FOR_KEY.ANTHROPIC_API_KEY}; for another model: export TASKFORCE_MODEL=${ANTHROPIC_OTHER})`,
    '',
    '  OpenAI',
    '    export OPENAI_API_KEY=sk-...',
    `    (uses ${DEFAULT_MODEL_FOR_KEY.OPENAI_API_KEY}; for another model: export TASKFORCE_MODEL=${OPENAI_OTHER})`,
    '',
    '  An OpenAI-compatible local server (Ollama, vLLM, LM Studio), no key needed',
    '    export TASKFORCE_MODEL=openai:llama3.2              (the model name the server knows)',
    '    export OPENAI_BASE_URL=http://localhost:11434/v1     (vLLM :8000/v1, LM Studio :1234/v1)',
    '',
    `  Or on the command:  taskforce ${command} --model ${DEFAULT_MODEL_FOR_KEY.ANTHROPIC_API_KEY} ${example}`,
    '',
    'Offline, with no key and no network:',
    offline('npm run demo', 'the example goal end to end, on scripted replies'),
    offline(`taskforce ${command} --scripted FILE ${example}`, 'replies written by hand (.json, .yaml or .mjs)'),
    offline(`taskforce ${command} --cassette FILE.jsonl ${example}`, 'replay a cassette recorded earlier'),
  ].join('\n');
}
