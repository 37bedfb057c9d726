import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../src/agents/define.js';
import type { TaskforceEvent } from '../../src/events/types.js';
import type { ModelSpec } from '../../src/model/spec.js';
import { createTaskforce } from '../../src/api/create-taskforce.js';
import { defineTool } from '../../src/tools/define-tool.js';
import { useAimock, type AimockServer } from '../support/aimock.js';

const server = useAimock();

const meteorologist = defineAgent({
  name: 'meteorologist',
  description: 'Reports the weather',
  systemPrompt: 'You report the weather. Use the get_weather tool.',
  tools: ['get_weather'],
});

const providers: { name: string; spec: (s: AimockServer) => ModelSpec }[] = [
  { name: 'anthropic', spec: (s) => ({ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'test-key', baseURL: s.anthropicBaseURL }) },
  { name: 'openai', spec: (s) => ({ provider: 'openai', model: 'gpt-5-mini', apiKey: 'test-key', baseURL: s.openaiBaseURL }) },
];

describe.each(providers)('Task() end to end through the $name SDK', ({ name, spec }) => {
  it('calls the tool the model asks for, sends the result back, and returns the final answer with usage and cost', async () => {
    server().mock.on(
      { userMessage: 'Weather report for Paris', hasToolResult: false },
      { toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris"}' }], usage: { input_tokens: 100, output_tokens: 20, prompt_tokens: 100, completion_tokens: 20 } },
    );
    server().mock.onToolResult('call_w', { content: 'Sunny, 21 °C in Paris.' });
    const cities: string[] = [];
    const weather = defineTool({
      name: 'get_weather',
      description: 'Current weather in a city',
      input: z.object({ city: z.string() }),
      execute: ({ city }) => {
        cities.push(city);
        return { city, sky: 'sunny', celsius: 21 };
      },
    });
    const events: TaskforceEvent[] = [];
    const tf = await createTaskforce({
      model: spec(server()),
      modelOptions: { resilience: { retry: { maxRetries: 0 } }, env: {} },
      agents: [meteorologist],
      builtinAgents: false,
      tools: [weather],
      onEvent: (e) => events.push(e),
    });

    const result = await tf.task('paris weather', 'Weather report for Paris, please.', 'meteorologist');

    expect(result.output).toBe('Sunny, 21 °C in Paris.');
    expect(result.finishReason).toBe('final');
    expect(cities).toEqual(['Paris']);
    expect(result.steps.map((s) => s.toolCalls.map((c) => [c.name, c.input, c.output]))).toEqual([
      [['get_weather', { city: 'Paris' }, '{"city":"Paris","sky":"sunny","celsius":21}']],
      [],
    ]);
    expect(result.usage.inputTokens).toBeGreaterThanOrEqual(100);
    expect(result.costUsd).toBeGreaterThan(0);

    // aimock's journal shows both wire formats in Chat Completions shape.
    const [first, second] = server().modelRequests();
    expect(first).toMatchObject({ tools: [{ function: { name: 'get_weather' } }] });
    expect((second?.messages as unknown[]).at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_w',
      content: '{"city":"Paris","sky":"sunny","celsius":21}',
    });
    expect(events.filter((e) => e.type === 'model.call.finished').map((e) => e.type === 'model.call.finished' && e.provider)).toEqual([name, name]);
    await tf.close();
  });
});
