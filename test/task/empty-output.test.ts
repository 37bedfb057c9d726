import { describe, expect, it } from 'vitest';
import { defineAgent } from '../../src/agents/define.js';
import { EmptyOutputError } from '../../src/errors/output-errors.js';
import type { TaskforceEvent } from '../../src/events/types.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { Task } from '../../src/api/task.js';

const agents = [defineAgent({ name: 'researcher', description: 'Finds facts', systemPrompt: 'You research.' })];

describe('Task(): an empty final answer', () => {
  it.each(['', '  \n\t '])('rejects with EmptyOutputError naming the agent and task when the answer is %j', async (reply) => {
    const events: TaskforceEvent[] = [];
    const runtime = await createRuntime({
      model: modelFromProvider(scriptedModel({ replies: [reply] })),
      agents,
      builtinAgents: false,
      seed: 1,
      onEvent: (e) => events.push(e),
    });

    const error = await Task('look it up', 'What is the answer?', 'researcher', { runtime }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EmptyOutputError);
    expect(error).toMatchObject({ code: 'MODEL_EMPTY_OUTPUT', agent: 'researcher', taskId: 'task_1' });
    expect((error as Error).message).toBe('agent "researcher" (task task_1) gave an empty final answer: the scripted model replied with no text and no tool calls');
    expect(events.filter((e) => e.type.startsWith('task.')).map((e) => e.type)).toEqual(['task.started', 'task.failed']);
  });
});
