import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/cli-process.js';

const run = promisify(execFile);

// The optional peer dependencies, left out of the bundle and absent from the folder it runs in, as in
// an app that uses only a scripted model: the library must not need them to start.
const OPTIONAL_PEERS = ['@anthropic-ai/sdk', 'openai', '@langchain/core', '@modelcontextprotocol/sdk', 'prom-client', '@opentelemetry/api', 'ioredis', 'bullmq'];

// A small app: Task() with a built-in agent, then orchestrate() planned with the planner prompt. The
// scripted model answers from what it is sent, so each line printed proves the shipped text was used.
const APP = `
import { createTaskforce, modelFromProvider, scriptedModel } from ${JSON.stringify(join(ROOT, 'src', 'index.ts'))};

function reply(request) {
  const prompt = JSON.stringify(request);
  if (request.responseFormat?.name === 'plan') {
    if (!prompt.includes('You are the planner of a team of AI agents')) throw new Error('not the planner prompt: ' + prompt.slice(0, 200));
    return JSON.stringify({ tasks: [
      { id: 'facts', title: 'Gather the facts', instructions: 'Gather the facts.', capabilities: ['research'], dependsOn: [], priority: 'high', effort: 1, decomposable: false },
    ] });
  }
  if (prompt.includes('You are a researcher.')) return 'The facts, from the built-in researcher.';
  if (prompt.includes('You are a reviewer with high standards')) return 'Reviewed by the built-in reviewer.';
  return 'unexpected prompt: ' + prompt.slice(0, 300);
}

const tf = await createTaskforce({ model: modelFromProvider(scriptedModel({ replies: reply })) });
const review = await tf.task('review', 'Review: db.query("SELECT * FROM u WHERE id=" + id)', 'reviewer');
console.log('task:', review.agent, '|', review.output);
const result = await tf.orchestrate('Write up the facts about bundling', { seed: 1 });
if (result.tree.tasks.some((t) => t.status !== 'completed')) console.error(JSON.stringify(result.tree.tasks, null, 1).slice(0, 3000));
console.log('orchestrate:', result.tree.tasks.map((t) => t.id + ':' + t.status + ':' + t.agents.join(',')).join(' '), '|', result.output);
await tf.close();
`;

describe('a bundled app', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taskforce-bundle-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('bundled with esbuild and run outside the repository, runs Task() with a built-in agent and orchestrate() with the planner prompt', async () => {
    const entry = join(dir, 'app.mjs');
    await writeFile(entry, APP);
    const outfile = join(dir, 'out', 'app.bundle.mjs');
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      external: OPTIONAL_PEERS,
      nodePaths: [join(ROOT, 'node_modules')],
      logLevel: 'silent',
      // The usual banner for an ESM bundle on Node: yaml's Node build is CommonJS and requires Node built-ins.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    });
    // Nothing to find beside the bundle: no package.json, no prompts/ or agents/ folder.
    const { stdout } = await run(process.execPath, [outfile], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(stdout).toBe(
      [
        'task: reviewer | Reviewed by the built-in reviewer.',
        'orchestrate: facts:completed:researcher | The facts, from the built-in researcher.',
        '',
      ].join('\n'),
    );
  }, 60_000);
});
