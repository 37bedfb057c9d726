import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../src/agents/define.js';
import { createTaskforce } from '../../src/api/create-taskforce.js';
import { runTask } from '../../src/api/task.js';
import { RecursionCapError } from '../../src/errors/recursion-errors.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel, type ScriptFn } from '../../src/model/scripted.js';
import type { ProviderRequest } from '../../src/model/types.js';
import { createRuntime, type RuntimeConfig } from '../../src/runtime/runtime.js';
import type { Runtime } from '../../src/runtime/runtime-types.js';
import { defineTool } from '../../src/tools/define-tool.js';

// A Task() called while other work runs is that work's child: these tests nest Task() inside a tool.

const agents = [defineAgent({ name: 'nester', description: 'Delegates to itself', systemPrompt: 'You nest.', tools: ['nest'] })];

/** The depth a request asks to go on to, written in the prompt as `level N`. */
const levelOf = (request: ProviderRequest) => Number(/level (\d+)/.exec(request.messages[0]?.content ?? '')?.[1] ?? 0);

/**
 * A runtime whose agent, asked for `level N`, first calls the `nest` tool (which calls Task() for
 * `level N+1`) and then answers with what came back; at `stopAt` it answers at once.
 */
async function nestingRuntime(stopAt: number, config: Partial<RuntimeConfig> = {}) {
  let runtime: Runtime | undefined;
  const depths: number[] = [];
  const nest = defineTool({
    name: 'nest',
    description: 'Runs the next level as a Task()',
    input: z.object({ level: z.number() }),
    execute: async ({ level }) => (await runTask(runtime!, `level ${level}`, `Work on level ${level}.`, 'nester')).output,
  });
  const replies: ScriptFn = (request) => {
    const level = levelOf(request);
    const answered = request.messages.some((m) => m.role === 'tool');
    if (!answered) depths.push(level);
    if (answered || level >= stopAt) return `done at level ${level}`;
    return { toolCalls: [{ name: 'nest', input: { level: level + 1 } }] };
  };
  runtime = await createRuntime({ model: modelFromProvider(scriptedModel({ replies })), agents, tools: [nest], builtinAgents: false, seed: 1, ...config });
  return { runtime, depths };
}

describe('Task() inside other work', () => {
  it('stops at maxDepth: the Task() one level deeper is refused, and the levels above still answer', async () => {
    const { runtime, depths } = await nestingRuntime(12, { limits: { maxDepth: 3 } });
    const result = await runTask(runtime, 'level 0', 'Work on level 0.', 'nester');
    // Levels 0..3 ran; the Task() for level 4 was refused, and level 3 saw the refusal as a tool error.
    expect(depths).toEqual([0, 1, 2, 3]);
    expect(result.output).toBe('done at level 0');
  });

  it('refuses a nested Task() beyond the cap with the error the tool sees', async () => {
    const { runtime } = await nestingRuntime(12, { limits: { maxDepth: 1 } });
    const refused = await runtime.work.run(
      { depth: 1, maxDepth: 1, budget: runtime.budget, signal: runtime.signal, runId: 'r', taskId: 't', admitAgent: () => ({ kind: 'run', ticket: { release() {}, done() {} } }) },
      () => runTask(runtime, 'too deep', 'Work on level 9.', 'nester').catch((e: unknown) => e),
    );
    expect(refused).toBeInstanceOf(RecursionCapError);
    expect((refused as RecursionCapError).report).toMatchObject({ cap: 'maxDepth', depth: 1, agent: 'nester' });
    expect((refused as Error).message).toMatch(/would run at depth 2, past maxDepth 1/);
  });

  it('never deadlocks: nesting deeper than the concurrency cap finishes (a waiting parent holds no slot)', async () => {
    const { runtime, depths } = await nestingRuntime(6, { limits: { concurrency: 1, maxDepth: 8 } });
    const result = await runTask(runtime, 'level 0', 'Work on level 0.', 'nester');
    expect(depths).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(result.output).toBe('done at level 0');
  });

  it('counts every Task() agent run against maxAgents, nested ones included', async () => {
    const { runtime, depths } = await nestingRuntime(10, { limits: { maxAgents: 3, maxDepth: 10 } });
    await runTask(runtime, 'level 0', 'Work on level 0.', 'nester');
    expect(depths).toEqual([0, 1, 2]);
    await expect(runTask(runtime, 'one more', 'Work on level 9.', 'nester')).rejects.toMatchObject({ code: 'RECURSION_CAPPED', report: { cap: 'maxAgents' } });
  });

  it('counts parallel top-level Task() calls too: 10 calls at a cap of 5 start 5 agents', async () => {
    const provider = scriptedModel({ replies: () => 'ok' });
    const tf = await createTaskforce({ model: modelFromProvider(provider), builtinAgents: false, agents: [defineAgent({ name: 'a', description: 'a', systemPrompt: 'a' })], limits: { maxAgents: 5 } });
    const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => tf.task(`t${i}`, `job ${i}`, 'a')));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(5);
    expect(settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason.code)).toEqual(Array(5).fill('RECURSION_CAPPED'));
    expect(provider.calls).toBe(5);
    await tf.close();
  });

  it("charges a nested Task() to its parent's budget and stops it with the parent's signal", async () => {
    const { runtime } = await nestingRuntime(50, { limits: { maxDepth: 60 }, budgets: { maxModelCalls: 4 } });
    const error = await runTask(runtime, 'level 0', 'Work on level 0.', 'nester').catch((e: unknown) => e);
    // Four calls (levels 0–3) were admitted; level 4's call was refused by the shared budget, and the
    // refusal came back up as tool errors and then ended level 0 too once its next call was refused.
    expect(runtime.budget.usage().modelCalls).toBe(4);
    expect(error).toMatchObject({ code: 'BUDGET_EXCEEDED', budget: 'modelCalls' });

    const controller = new AbortController();
    const slow = await nestingRuntime(3);
    controller.abort(new Error('stop'));
    await expect(runTask(slow.runtime, 'level 0', 'Work on level 0.', 'nester', { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
