#!/usr/bin/env node
// Writes schemas/workflow.schema.json: the JSON Schema (draft 2020-12) of workflow files, generated
// from `WorkflowSchema` (src/workflow/types.ts), for editors and other tools.
// `node --import tsx scripts/workflow-schema.ts` writes the file; `--check` exits 1 if it is out of date.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { WorkflowSchema } from '../src/workflow/types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUT = join(root, 'schemas', 'workflow.schema.json');
export const SCHEMA_ID = 'https://taskforce.dev/schemas/workflow.schema.json';

export function render(): string {
  const { $schema, ...schema } = z.toJSONSchema(WorkflowSchema, { target: 'draft-2020-12' });
  const document = {
    $schema,
    $id: SCHEMA_ID,
    title: 'Taskforce workflow',
    description:
      'A Taskforce workflow file: a goal and its steps, each step one object with exactly one kind key ("instructions" for a task, "sequence", "parallel", "choice", ...). Generated from WorkflowSchema (src/workflow/types.ts) by scripts/workflow-schema.ts: do not edit by hand.',
    ...schema,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = render();
  if (process.argv.includes('--check')) {
    const current = existsSync(OUTPUT) ? readFileSync(OUTPUT, 'utf8') : '';
    if (current !== text) {
      console.error(`${OUTPUT} is out of date: run node --import tsx scripts/workflow-schema.ts`);
      process.exit(1);
    }
  } else if (!existsSync(OUTPUT) || readFileSync(OUTPUT, 'utf8') !== text) writeFileSync(OUTPUT, text);
}
