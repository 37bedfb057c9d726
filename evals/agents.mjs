// Single-agent cases (Task calls) with inline scripted replies, and checks that need code:
// a zod schema and custom functions. Plain ESM, so the built CLI runs it on plain node:
//   taskforce eval evals/agents.mjs
// The replies are written by hand for these prompts (scripted), not recorded from a model.
import { z } from 'zod';

const Contact = z.object({
  name: z.string().min(1),
  email: z.string().email(),
  tags: z.array(z.string()).max(5),
});

/** @type {import('../src/eval/types.js').SuiteSpec} */
export default {
  name: 'agents',
  description: 'One agent per case: short answers, structured extraction, length limits.',
  threshold: 1.0,
  concurrency: 3,
  cases: [
    {
      name: 'capital-short-answer',
      task: { agent: 'researcher', prompt: 'What is the capital of Australia? Answer with the city name only.' },
      model: { replies: ['Canberra'] },
      checks: [
        { type: 'regex', pattern: '^Canberra$' },
        { type: 'not-contains', value: ['Sydney', 'Melbourne'] },
      ],
    },
    {
      name: 'contact-extraction',
      task: {
        agent: 'analyst',
        prompt: 'Extract the contact as JSON {name, email, tags}: "Ada Lovelace <ada@example.org>, tags: maths, engines"',
      },
      model: { replies: ['```json\n{"name": "Ada Lovelace", "email": "ada@example.org", "tags": ["maths", "engines"]}\n```'] },
      checks: [
        { type: 'json-schema', name: 'matches the zod schema', schema: Contact },
        {
          type: 'json-schema',
          name: 'matches the JSON Schema',
          schema: { type: 'object', required: ['name', 'email'], properties: { email: { type: 'string', pattern: '@' } } },
        },
        {
          type: 'custom',
          name: 'keeps both tags',
          fn: (output) => {
            const tags = JSON.parse(output.replace(/```(json)?/g, '')).tags;
            return { pass: tags.length === 2, message: `got tags ${JSON.stringify(tags)}` };
          },
        },
      ],
    },
    {
      name: 'release-note-under-40-words',
      task: { agent: 'writer', prompt: 'Write a release note of at most 40 words for v2.1: faster search, a dark theme, and a fix for CSV export.' },
      model: {
        replies: [
          'Version 2.1 makes search about twice as fast, adds a dark theme you can switch on in Settings, and fixes CSV exports that dropped the last row.',
        ],
      },
      checks: [
        { type: 'custom', name: 'at most 40 words', fn: (output) => output.trim().split(/\s+/).length <= 40 },
        { type: 'contains', value: ['search', 'dark theme', 'CSV'], ignoreCase: true },
      ],
    },
  ],
};
