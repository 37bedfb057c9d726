import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskforceEvent } from '../../src/events/types.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { defineAgent } from '../../src/agents/define.js';
import { HookFailedError } from '../../src/agents/hooks.js';
import { runAgent } from '../../src/agents/loop.js';

// Hooks given as lists of commands (claude-flow's `pre:` lists): the same gate as one command.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'taskforce-hook-lists-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function setup(pre: readonly string[], allowHooks: boolean) {
  const provider = scriptedModel({ replies: ['done'] });
  const events: TaskforceEvent[] = [];
  const agent = defineAgent({ name: 'listed', description: 'Has a list of hooks', systemPrompt: 'Work.', hooks: { pre } });
  const runtime = await createRuntime({
    model: modelFromProvider(provider),
    agents: [agent],
    builtinAgents: false,
    limits: { allowHooks },
    onEvent: (e) => events.push(e),
  });
  return { provider, events, agent, runtime };
}

describe('hooks given as a list of commands', () => {
  it('are not run unless the runtime allows them', async () => {
    const { runtime, agent, events } = await setup([`touch ${dir}/one`, `touch ${dir}/two`], false);
    await runAgent(runtime, agent, 'work');
    expect(existsSync(join(dir, 'one')) || existsSync(join(dir, 'two'))).toBe(false);
    expect(events.filter((e) => e.type === 'hook.skipped')).toHaveLength(1);
  });

  it('when allowed, run in order, each with the prompt on stdin, one hook.ran event each', async () => {
    const { runtime, agent, events } = await setup([`echo first >> ${dir}/log`, `cat > ${dir}/stdin.txt; echo second >> ${dir}/log`], true);
    await runAgent(runtime, agent, 'the prompt');
    expect(readFileSync(join(dir, 'log'), 'utf8')).toBe('first\nsecond\n');
    expect(readFileSync(join(dir, 'stdin.txt'), 'utf8')).toBe('the prompt');
    expect(events.filter((e) => e.type === 'hook.ran')).toHaveLength(2);
  });

  it('stop at the first command that fails: later commands and the model are not run', async () => {
    const { runtime, agent, provider } = await setup([`echo first >> ${dir}/log`, 'echo "no memory" >&2; exit 4', `echo third >> ${dir}/log`], true);
    const error = await runAgent(runtime, agent, 'work').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HookFailedError);
    expect((error as Error).message).toBe('pre hook (command 2 of 3) of agent "listed" (code) exited with code 4: no memory');
    expect(readFileSync(join(dir, 'log'), 'utf8')).toBe('first\n');
    expect(provider.calls).toBe(0);
  });
});
