import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaskforce } from '../../src/api/create-taskforce.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { modelFromProvider, scriptedModel } from '../../src/testing/index.js';
import { CLI, cleanEnv, requireBuiltCli, ROOT, startBuiltCli } from '../cli/cli-process.js';

const REPLIES = join(ROOT, 'test', 'mcp', 'fixtures', 'replies.mjs');
const text = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

describe('taskforce mcp over stdio, with the SDK\'s own client', () => {
  let client: Client;
  let transport: StdioClientTransport;
  let stderr = '';
  // Every message as it arrives, before the SDK's Protocol handles it.
  const wire: { method?: string; params?: { progressToken?: unknown; message?: string } }[] = [];
  const stderrSays = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const check = () => (pattern.test(stderr) ? resolve() : Date.now() - started > 20_000 ? reject(new Error(`stderr never matched ${pattern}:\n${stderr}`)) : setTimeout(check, 20));
      check();
    });

  beforeAll(async () => {
    requireBuiltCli();
    transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--scripted', REPLIES], cwd: ROOT, env: cleanEnv() as Record<string, string>, stderr: 'pipe' });
    transport.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    client = new Client({ name: 'taskforce-test', version: '1.0.0' });
    await client.connect(transport);
    const handle = transport.onmessage!;
    transport.onmessage = (message) => {
      wire.push(message as (typeof wire)[number]);
      handle(message);
    };
  });
  afterAll(async () => {
    await client?.close();
  });

  it('lists the four tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['list_agents', 'orchestrate', 'plan', 'task']);
    const task = tools.find((t) => t.name === 'task')!;
    expect(task.inputSchema.required).toEqual(expect.arrayContaining(['agent', 'prompt']));
  });

  it('list_agents names the built-in agents with their capabilities', async () => {
    const result = (await client.callTool({ name: 'list_agents', arguments: {} })) as CallToolResult;
    const agents = (result.structuredContent as { agents: { name: string; capabilities: string[] }[] }).agents;
    expect(agents.map((a) => a.name)).toEqual(expect.arrayContaining(['researcher', 'writer']));
    expect(agents.every((a) => a.capabilities.length > 0)).toBe(true);
    expect(text(result)).toContain('writer:');
  });

  it('task runs one agent and returns its answer with usage and cost', async () => {
    const result = (await client.callTool({ name: 'task', arguments: { agent: 'writer', prompt: 'Write a haiku about owls' } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(text(result)).toBe('Silent wings at dusk');
    const summary = result.structuredContent as { output: string; agent: string; usage: { inputTokens: number; outputTokens: number }; costUsd: number; modelCalls: number };
    expect(summary).toMatchObject({ output: 'Silent wings at dusk', agent: 'writer', modelCalls: 1, finishReason: 'final' });
    expect(summary.usage.inputTokens).toBeGreaterThan(0);
    expect(summary.usage.outputTokens).toBeGreaterThan(0);
    // Scripted replies are free: the cost is there, and zero.
    expect(summary.costUsd).toBe(0);
  });

  it('task with an unknown agent is an error result naming the code, not a crash', async () => {
    const result = (await client.callTool({ name: 'task', arguments: { agent: 'no-such-agent', prompt: 'hi' } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('[AGENT_UNKNOWN]');
  });

  it('orchestrate sends progress as tasks start and finish, then the answer with usage, cost and tasks', async () => {
    const progress: Progress[] = [];
    const from = wire.length;
    const result = (await client.callTool({ name: 'orchestrate', arguments: { goal: 'Tell me about owls' } }, undefined, {
      onprogress: (p) => progress.push(p),
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain('Owls hunt at night');
    // The server sends every update before the result, in order: that is what the wire shows.
    const sent = wire.slice(from).filter((m) => m.method === 'notifications/progress').map((m) => m.params?.message ?? '');
    expect(sent.slice(0, 4)).toEqual([
      expect.stringMatching(/^planned 2 task/),
      expect.stringMatching(/^task facts started/),
      expect.stringMatching(/^task facts completed/),
      expect.stringMatching(/^task summary started/),
    ]);
    expect(sent.slice(4).length).toBeGreaterThan(0);
    expect(sent.slice(4).every((m) => /^task summary completed/.test(m))).toBe(true);
    // The SDK's client handles a notification a microtask after a response read in the same chunk
    // and drops updates that arrive after the result, so the caller sees an in-order prefix.
    expect(sent.slice(0, progress.length)).toEqual(progress.map((p) => p.message));
    // MCP requires progress to grow with every notification.
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);
    const summary = result.structuredContent as { usage: { inputTokens: number }; costUsd: number; metrics: { modelCalls: number }; tasks: { id: string; status: string }[]; stoppedBy?: unknown };
    expect(summary.stoppedBy).toBeUndefined();
    expect(summary.usage.inputTokens).toBeGreaterThan(0);
    expect(summary.costUsd).toBe(0);
    expect(summary.metrics.modelCalls).toBe(4); // plan, two tasks, synthesis
    expect(summary.tasks.map((t) => [t.id, t.status])).toEqual([['facts', 'completed'], ['summary', 'completed']]);
  });

  it('plan returns the task tree without running it', async () => {
    const result = (await client.callTool({ name: 'plan', arguments: { goal: 'Tell me about owls' } })) as CallToolResult;
    const tree = result.structuredContent as { goal: string; tasks: { id: string }[]; analysis: { criticalPath: string[] } };
    expect(tree.tasks.map((t) => t.id)).toEqual(['facts', 'summary']);
    expect(tree.analysis.criticalPath).toEqual(['facts', 'summary']);
  });

  it('cancelling an orchestrate call stops its run on the server, which keeps serving', async () => {
    const controller = new AbortController();
    const started: Progress[] = [];
    const call = client.callTool({ name: 'orchestrate', arguments: { goal: 'Tell me about owls, slowly' } }, undefined, {
      signal: controller.signal,
      onprogress: (p) => started.push(p),
    });
    // Cancel while the task is in flight: its reply would take ten minutes.
    await expect.poll(() => started.some((p) => /task wait started/.test(p.message ?? '')), { timeout: 20_000 }).toBe(true);
    controller.abort(new Error('the user changed their mind'));
    await expect(call).rejects.toThrow(/changed their mind/);
    // The server saw the MCP cancellation and the run stopped as cancelled.
    await stderrSays(/orchestrate cancelled/);
    const next = (await client.callTool({ name: 'task', arguments: { agent: 'writer', prompt: 'Write a haiku about owls' } })) as CallToolResult;
    expect(text(next)).toBe('Silent wings at dusk');
  });
});

describe('taskforce mcp --http', () => {
  it('serves the same tools over Streamable HTTP on loopback', async () => {
    const cli = startBuiltCli(['mcp', '--scripted', REPLIES, '--http', '0']);
    try {
      await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\/mcp/);
      const url = /http:\/\/127\.0\.0\.1:\d+\/mcp/.exec(cli.stderr())![0];
      const client = new Client({ name: 'taskforce-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      const result = (await client.callTool({ name: 'task', arguments: { agent: 'writer', prompt: 'Write a haiku about owls' } })) as CallToolResult;
      expect(text(result)).toBe('Silent wings at dusk');
      await client.close();
    } finally {
      cli.child.kill('SIGINT');
      await cli.done;
    }
  });
});

describe('createMcpServer in process', () => {
  it('runs a task on the given taskforce through an in-memory transport', async () => {
    const taskforce = await createTaskforce({ model: modelFromProvider(scriptedModel({ replies: ['In memory, too.'] })) });
    const server = await createMcpServer(taskforce);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'taskforce-test', version: '1.0.0' });
    await client.connect(clientSide);
    try {
      const result = (await client.callTool({ name: 'task', arguments: { agent: 'writer', prompt: 'anything' } })) as CallToolResult;
      expect(text(result)).toBe('In memory, too.');
      expect(result.structuredContent).toMatchObject({ agent: 'writer', costUsd: 0 });
    } finally {
      await client.close();
      await taskforce.close();
    }
  });
});
