/**
 * Issue 16, item 3: Claude Code agent files run with the tools they declare. A folder of agent files
 * written for Claude Code is loaded with a workspace; the reviewer greps and reads, the fixer edits a
 * file on disk, and the side-effecting tools reach only the agents whose lists name them.
 */
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgent } from '../../src/agents/loop.js';
import type { TaskforceEvent } from '../../src/events/types.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel, type ScriptFn } from '../../src/model/scripted.js';
import type { Message, ProviderRequest } from '../../src/model/types.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { defineTool } from '../../src/tools/define-tool.js';

const AGENTS_DIR = fileURLToPath(new URL('../fixtures/claude-code-agents/', import.meta.url));
const BUGGY = 'export function total(items: number[]): number {\n  // NOTE: off by one\n  let sum = 1;\n  for (const item of items) sum += item;\n  return sum;\n}\n';

let root: string;
beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'tf-cc-agents-')));
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'src', 'total.ts'), BUGGY);
  await writeFile(path.join(root, 'README.md'), 'A small project.\n');
});
afterEach(() => rm(root, { recursive: true, force: true }));

const toolNames = (request: ProviderRequest) => (request.tools ?? []).map((tool) => tool.name).sort();
const toolResults = (request: ProviderRequest) =>
  request.messages.filter((m): m is Extract<Message, { role: 'tool' }> => m.role === 'tool').map((m) => ({ tool: m.toolName, content: m.content, isError: m.isError === true }));
const agentOf = (request: ProviderRequest) => /^You are an? ([\w ]+)\./.exec(request.system ?? '')?.[1];

/** Each agent's script: the reply to give after it has seen `n` tool results. */
const SCRIPTS: Record<string, (results: number) => ReturnType<ScriptFn>> = {
  'code reviewer': (n) =>
    [
      { toolCalls: [{ name: 'Grep', input: { pattern: 'NOTE', output_mode: 'content', '-n': true } }] },
      { toolCalls: [{ name: 'Read', input: { file_path: 'src/total.ts', offset: 2, limit: 2 } }] },
      'src/total.ts line 3: sum starts at 1, so every total is one too high.',
    ][n]!,
  fixer: (n) =>
    [
      { toolCalls: [{ name: 'Edit', input: { file_path: path.join(root, 'src/total.ts'), old_string: 'let sum = 1;', new_string: 'let sum = 0;' } }] },
      'Fixed: sum now starts at 0.',
    ][n]!,
  'shell runner': (n) => [{ toolCalls: [{ name: 'Bash', input: { command: 'grep -c "sum" src/total.ts' } }] }, 'done'][n]!,
  'note taker': (n) => [{ toolCalls: [{ name: 'Read', input: { file_path: '../outside.txt' } }] }, 'nothing to note'][n]!,
};

async function setup() {
  const requests: ProviderRequest[] = [];
  const events: TaskforceEvent[] = [];
  const provider = scriptedModel({
    replies: (request) => {
      requests.push(request);
      const script = SCRIPTS[agentOf(request) ?? ''];
      if (!script) throw new Error(`unexpected model call: ${request.system?.slice(0, 40)}`);
      return script(toolResults(request).length);
    },
  });
  const runtime = await createRuntime({
    model: modelFromProvider(provider),
    agentsDir: AGENTS_DIR,
    builtinAgents: false,
    workspace: { root },
    seed: 1,
    onEvent: (event) => events.push(event),
  });
  const run = (agent: string, prompt: string) => runAgent(runtime, runtime.agents.require(agent), prompt);
  const callsOf = (agent: string) => requests.filter((r) => agentOf(r) === agent.replace('-', ' '));
  return { runtime, run, callsOf, events };
}

describe('Claude Code agent files with a workspace', () => {
  it('offers each agent exactly the tools its file declares', async () => {
    const { run, callsOf } = await setup();
    await run('code-reviewer', 'Review src/');
    await run('fixer', 'Fix the bug');
    await run('shell-runner', 'Count sums');
    expect(toolNames(callsOf('code-reviewer')[0]!)).toEqual(['Glob', 'Grep', 'Read']);
    expect(toolNames(callsOf('fixer')[0]!)).toEqual(['Edit', 'Read']);
    expect(toolNames(callsOf('shell-runner')[0]!)).toEqual(['Bash', 'Read']);
  });

  it('the reviewer greps then reads, and the model receives their results', async () => {
    const { run, callsOf } = await setup();
    const result = await run('code-reviewer', 'Review src/');
    expect(result.output).toMatch(/one too high/);
    const last = callsOf('code-reviewer').at(-1)!;
    expect(toolResults(last)).toEqual([
      { tool: 'Grep', content: `${root}/src/total.ts:2:  // NOTE: off by one`, isError: false },
      { tool: 'Read', content: '     2\t  // NOTE: off by one\n     3\t  let sum = 1;', isError: false },
    ]);
  });

  it('the fixer edits the file on disk', async () => {
    const { run, callsOf } = await setup();
    await run('fixer', 'Fix the bug');
    expect(toolResults(callsOf('fixer').at(-1)!)).toEqual([{ tool: 'Edit', content: expect.stringMatching(/^Edited .*replaced 1 occurrence$/), isError: false }]);
    expect(await readFile(path.join(root, 'src', 'total.ts'), 'utf8')).toBe(BUGGY.replace('let sum = 1;', 'let sum = 0;'));
  });

  it('runs Bash for an agent that names it, in the workspace root', async () => {
    const { run, callsOf } = await setup();
    await run('shell-runner', 'Count sums');
    expect(toolResults(callsOf('shell-runner').at(-1)!)).toEqual([{ tool: 'Bash', content: '3\n(exit code 0)', isError: false }]);
  });

  it('an agent without a tools list gets the read-only tools only: no Bash, Write or Edit; paths outside are refused', async () => {
    const { run, callsOf } = await setup();
    await run('note-taker', 'Take notes');
    expect(toolNames(callsOf('note-taker')[0]!)).toEqual(['Glob', 'Grep', 'Read']);
    const [refused] = toolResults(callsOf('note-taker').at(-1)!);
    expect(refused).toEqual({ tool: 'Read', content: expect.stringMatching(/outside the workspace/), isError: true });
  });

  it('a user tool with a Claude Code name replaces the built-in one', async () => {
    const myRead = defineTool({ name: 'Read', description: 'My own Read', input: z.object({ file_path: z.string() }), execute: () => 'mine' });
    const runtime = await createRuntime({ model: modelFromProvider(scriptedModel({ replies: ['ok'] })), agentsDir: AGENTS_DIR, builtinAgents: false, workspace: { root }, tools: [myRead] });
    expect(runtime.tools.get('Read')).toBe(myRead);
    expect([...runtime.tools.keys()].sort()).toEqual(['Bash', 'Edit', 'Glob', 'Grep', 'Read', 'WebFetch', 'Write']);
  });

  it('without a workspace the agents load, and their Claude Code tools are missing', async () => {
    const runtime = await createRuntime({ model: modelFromProvider(scriptedModel({ replies: [] })), agentsDir: AGENTS_DIR, builtinAgents: false });
    expect(runtime.tools.has('Read')).toBe(false);
  });
});
