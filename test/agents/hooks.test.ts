import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskforceEvent } from '../../src/events/types.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel, type ScriptedReply } from '../../src/model/scripted.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import type { RuntimeLimits } from '../../src/runtime/runtime-types.js';
import { defineAgent } from '../../src/agents/define.js';
import { HookFailedError, hookEnvironment } from '../../src/agents/hooks.js';
import { runAgent } from '../../src/agents/loop.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'taskforce-hooks-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function setup(hooks: { pre?: string; post?: string }, replies: readonly ScriptedReply[], limits: Partial<RuntimeLimits> = {}) {
  const provider = scriptedModel({ replies });
  const events: TaskforceEvent[] = [];
  const agent = defineAgent({ name: 'hooked', description: 'Has hooks', systemPrompt: 'Work.', hooks });
  const runtime = await createRuntime({
    model: modelFromProvider(provider),
    agents: [agent],
    builtinAgents: false,
    limits,
    onEvent: (e) => events.push(e),
  });
  return { provider, events, agent, runtime };
}

// Shell metacharacters that would create these files if task text ever reached a shell as code.
const hostilePrompt = (d: string) =>
  `Summarise $(touch ${d}/dollar) and \`touch ${d}/backtick\`; touch ${d}/semicolon && touch ${d}/and | touch ${d}/pipe '"`;
const injected = (d: string) => ['dollar', 'backtick', 'semicolon', 'and', 'pipe'].filter((f) => existsSync(join(d, f)));

describe('agent hooks', () => {
  it('are not run unless the runtime allows them, and say so', async () => {
    const { runtime, agent, events } = await setup({ pre: `touch ${dir}/pre-ran`, post: `touch ${dir}/post-ran` }, ['done']);

    const result = await runAgent(runtime, agent, hostilePrompt(dir));

    expect(result.output).toBe('done');
    expect(existsSync(join(dir, 'pre-ran'))).toBe(false);
    expect(existsSync(join(dir, 'post-ran'))).toBe(false);
    expect(injected(dir)).toEqual([]);
    expect(events.filter((e) => e.type === 'hook.skipped').map((e) => e.type === 'hook.skipped' && e.hook)).toEqual(['pre', 'post']);
  });

  it('when allowed, get task data on stdin and in the environment, never in the command', async () => {
    const prompt = hostilePrompt(dir);
    const { runtime, agent, events } = await setup(
      {
        pre: `cat > ${dir}/stdin.txt; printf '%s|%s|%s' "$TASKFORCE_AGENT" "$TASKFORCE_TASK_ID" "$TASKFORCE_HOOK" > ${dir}/env.txt; echo pre-ok`,
        post: `cat > ${dir}/answer.txt; echo post-warning >&2`,
      },
      ['the answer'],
      { allowHooks: true },
    );

    await runAgent(runtime, agent, prompt, { taskId: 'task_7' });

    expect(readFileSync(join(dir, 'stdin.txt'), 'utf8')).toBe(prompt);
    expect(readFileSync(join(dir, 'env.txt'), 'utf8')).toBe('hooked|task_7|pre');
    expect(readFileSync(join(dir, 'answer.txt'), 'utf8')).toBe('the answer');
    expect(injected(dir)).toEqual([]);
    const ran = events.filter((e) => e.type === 'hook.ran');
    expect(ran).toMatchObject([
      { hook: 'pre', agent: 'hooked', exitCode: 0, stdout: 'pre-ok\n', stderr: '', timedOut: false },
      { hook: 'post', exitCode: 0, stderr: 'post-warning\n' },
    ]);
  });

  it('fail the run before any model call when the pre hook fails, naming the agent and the hook', async () => {
    const { runtime, agent, provider, events } = await setup({ pre: 'echo "lint failed" >&2; exit 3' }, [], { allowHooks: true });

    const error = await runAgent(runtime, agent, 'work').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HookFailedError);
    expect(error).toMatchObject({ code: 'HOOK_FAILED', agent: 'hooked', hook: 'pre', exitCode: 3, timedOut: false });
    expect((error as Error).message).toBe('pre hook of agent "hooked" (code) exited with code 3: lint failed');
    expect(provider.calls).toBe(0);
    expect(events.find((e) => e.type === 'hook.ran')).toMatchObject({ exitCode: 3, stderr: 'lint failed\n' });
  });

  it('kill a hook that runs past hookTimeoutMs, with what it started', async () => {
    const { runtime, agent } = await setup({ pre: `sleep 30 & echo started; wait` }, [], { allowHooks: true, hookTimeoutMs: 200 });
    await expect(runAgent(runtime, agent, 'work')).rejects.toMatchObject({ code: 'HOOK_FAILED', timedOut: true });
  });

  it('see only a minimal environment, so provider keys stay out of scripts', () => {
    const env = hookEnvironment(
      { PATH: '/usr/bin', HOME: '/home/me', ANTHROPIC_API_KEY: 'sk-ant-secret', OPENAI_API_KEY: 'sk-secret' },
      { agent: 'a', hook: 'post' },
    );
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/me', TASKFORCE_AGENT: 'a', TASKFORCE_HOOK: 'post', TASKFORCE_TASK_ID: '' });
  });
});
