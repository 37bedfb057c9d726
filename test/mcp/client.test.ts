import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAgent } from '../../src/agents/define.js';
import { Task } from '../../src/api/task.js';
import { ConfigError } from '../../src/errors/taskforce-error.js';
import { parseMcpServers } from '../../src/mcp-client/config.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel, type ScriptFn } from '../../src/model/scripted.js';
import { createRuntime, type ManagedRuntime } from '../../src/runtime/runtime.js';
import { runCli } from '../cli/run-cli.js';

// The reference "everything" server from npm, started over stdio by the runtime's MCP client.
const EVERYTHING = join(dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json')), 'dist', 'index.js');
const mcpServers = { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } };

const agents = [
  defineAgent({ name: 'echoer', description: 'Echoes through MCP', systemPrompt: 'You echo.', tools: ['mcp__everything__echo'] }),
  defineAgent({ name: 'plain', description: 'Has no tool list', systemPrompt: 'You answer.' }),
];

/** The server processes this test process started (Linux `ps`), by pid. */
function everythingChildren(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('server-everything'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

function runtimeWith(replies: ScriptFn) {
  const provider = scriptedModel({ replies });
  return { provider, runtime: createRuntime({ model: modelFromProvider(provider), agents, builtinAgents: false, seed: 1, mcpServers }) };
}

describe('the MCP client, against @modelcontextprotocol/server-everything over stdio', () => {
  let runtime: ManagedRuntime;
  let provider: ReturnType<typeof scriptedModel>;
  beforeAll(async () => {
    const made = runtimeWith((_request, i) => (i === 0 ? { toolCalls: [{ name: 'mcp__everything__echo', input: { message: 'hi' } }] } : 'It said hi.'));
    provider = made.provider;
    runtime = await made.runtime;
  }, 30_000);
  afterAll(async () => {
    await runtime?.close();
  });

  it("adds the server's tools as mcp__<server>__<tool>, with the server's JSON Schema", () => {
    expect([...runtime.tools.keys()]).toEqual(expect.arrayContaining(['mcp__everything__echo', 'mcp__everything__get-sum']));
    const echo = runtime.tools.get('mcp__everything__echo')!;
    expect(echo.inputSchema).toMatchObject({ type: 'object', properties: { message: expect.any(Object) } });
  });

  it('gives an agent whose tools list names the tool the echoed text as the tool result', async () => {
    const result = await Task('echo', 'Say hi through the echo tool', 'echoer', { runtime });
    expect(result.output).toBe('It said hi.');
    expect(provider.requests[0]?.tools?.map((t) => t.name)).toEqual(['mcp__everything__echo']);
    const toolMessage = provider.requests[1]?.messages.find((m) => m.role === 'tool');
    expect(toolMessage).toMatchObject({ role: 'tool', toolName: 'mcp__everything__echo' });
    expect(toolMessage).not.toHaveProperty('isError', true);
    expect(toolMessage?.content).toContain('Echo: hi');
  });
});

describe('MCP tool errors', () => {
  it("sends the server's refusal of bad arguments back to the model as an error result", async () => {
    const { provider, runtime } = runtimeWith((_request, i) => (i === 0 ? { toolCalls: [{ name: 'mcp__everything__echo', input: { wrong: 1 } }] } : 'I see the error.'));
    const rt = await runtime;
    try {
      await Task('echo', 'Echo badly', 'echoer', { runtime: rt });
      const toolMessage = provider.requests[1]?.messages.find((m) => m.role === 'tool');
      expect(toolMessage).toMatchObject({ isError: true });
      expect(toolMessage?.content).toMatch(/message/);
    } finally {
      await rt.close();
    }
  }, 30_000);
});

describe('MCP tool grants', () => {
  const offered = (provider: ReturnType<typeof scriptedModel>) => (provider.requests[0]?.tools ?? []).map((t) => t.name);
  const LOGGING = 'mcp__everything__toggle-simulated-logging'; // no readOnlyHint: side-effecting

  it('offers an agent whose tools list names MCP tools exactly those, and no other MCP tool', async () => {
    const provider = scriptedModel({ replies: () => 'done' });
    const rt = await createRuntime({
      model: modelFromProvider(provider),
      builtinAgents: false,
      mcpServers,
      agents: [defineAgent({ name: 'adder', description: 'Adds', systemPrompt: 'You add.', tools: ['mcp__everything__get-sum'] })],
    });
    try {
      await Task('add', 'Add 1 and 2', 'adder', { runtime: rt });
      expect(offered(provider)).toEqual(['mcp__everything__get-sum']);
    } finally {
      await rt.close();
    }
  }, 30_000);

  it('does not offer a side-effecting MCP tool to an agent without a grant; toolGrants grants it', async () => {
    const ungranted = runtimeWith(() => 'No tools here.');
    const rt = await ungranted.runtime;
    try {
      await Task('answer', 'Answer', 'plain', { runtime: rt });
      // read-only (readOnlyHint) tools are offered like any read-only tool; the others are withheld.
      expect(offered(ungranted.provider)).toContain('mcp__everything__echo');
      expect(offered(ungranted.provider)).not.toContain(LOGGING);
    } finally {
      await rt.close();
    }
    const provider = scriptedModel({ replies: () => 'done' });
    const granted = await createRuntime({ model: modelFromProvider(provider), agents, builtinAgents: false, mcpServers, toolGrants: { plain: [LOGGING] } });
    try {
      await Task('answer', 'Answer', 'plain', { runtime: granted });
      expect(offered(provider)).toContain(LOGGING);
    } finally {
      await granted.close();
    }
  }, 30_000);
});

describe('MCP server processes', () => {
  it('runtime.close() ends the server process', async () => {
    const before = new Set(everythingChildren());
    const { runtime } = runtimeWith(() => 'unused');
    const rt = await runtime;
    const started = everythingChildren().filter((pid) => !before.has(pid));
    expect(started).toHaveLength(1);
    await rt.close();
    const alive = () => {
      try {
        process.kill(started[0]!, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
  }, 30_000);

  it('a server that cannot start is a ConfigError naming the server and its command', async () => {
    const provider = scriptedModel({ replies: () => 'unused' });
    const error = await createRuntime({
      model: modelFromProvider(provider),
      builtinAgents: false,
      mcpServers: { broken: { command: '/nonexistent/taskforce-mcp-server', args: ['--stdio'] } },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/MCP server "broken" \(\/nonexistent\/taskforce-mcp-server --stdio\) failed to start/);
  }, 30_000);

  it('reads mcpServers from a whole .mcp.json and names a bad entry', () => {
    expect(parseMcpServers({ mcpServers: { docs: { type: 'http', url: 'http://127.0.0.1:1/mcp' } } })).toEqual({ docs: { type: 'http', url: 'http://127.0.0.1:1/mcp' } });
    expect(() => parseMcpServers({ mcpServers: { bad: { args: [] } } }, '.mcp.json')).toThrow(/\.mcp\.json\.bad must be/);
  });
});

describe('taskforce task --mcp-config', () => {
  it("runs an agent file that names an MCP tool with that server's tool", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskforce-mcp-client-'));
    writeFileSync(join(dir, '.mcp.json'), JSON.stringify({ mcpServers }));
    writeFileSync(
      join(dir, 'echoer.md'),
      ['---', 'name: echoer', 'description: Echoes through the MCP echo tool', 'tools: mcp__everything__echo', '---', 'You echo.', ''].join('\n'),
    );
    const { code, stdout, stderr } = await runCli([
      'task', '--scripted', 'test/mcp/fixtures/mcp-echo-replies.mjs', '--agents', dir, '--mcp-config', join(dir, '.mcp.json'), 'echoer', 'Echo something',
    ]);
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(stdout).toContain('The tool said: Echo: from the cli');
  }, 30_000);

  it('a missing config file is a configuration error (exit 2) naming the file', async () => {
    const { code, stderr } = await runCli(['task', '--scripted', 'test/mcp/fixtures/mcp-echo-replies.mjs', '--mcp-config', 'no-such.mcp.json', 'writer', 'hi']);
    expect(code).toBe(2);
    expect(stderr).toContain('no-such.mcp.json');
  });
});

describe('the MCP client over Streamable HTTP', () => {
  it("calls a tool of a server given as { type: 'http', url }", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        let stderr = '';
        child.stderr!.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (/listening on port/i.test(stderr)) resolve();
        });
        child.once('exit', () => reject(new Error(`the HTTP server exited:\n${stderr}`)));
      });
      const provider = scriptedModel({ replies: (_request, i) => (i === 0 ? { toolCalls: [{ name: 'mcp__web__echo', input: { message: 'over http' } }] } : 'done') });
      const rt = await createRuntime({
        model: modelFromProvider(provider),
        builtinAgents: false,
        agents: [defineAgent({ name: 'echoer', description: 'Echoes', systemPrompt: 'You echo.', tools: ['mcp__web__echo'] })],
        mcpServers: { web: { type: 'http', url: `http://127.0.0.1:${port}/mcp` } },
      });
      try {
        await Task('echo', 'Echo over HTTP', 'echoer', { runtime: rt });
        expect(provider.requests[1]?.messages.find((m) => m.role === 'tool')?.content).toContain('Echo: over http');
      } finally {
        await rt.close();
      }
    } finally {
      child.kill();
    }
  }, 30_000);
});
