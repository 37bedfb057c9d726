import { getEventListeners } from 'node:events';
import { it } from 'vitest';
import { defineAgent } from '../../src/agents/define.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { Task } from '../../src/api/task.js';
import { useAimock } from '../support/aimock.js';

const server = useAimock();
it('probe', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.stack ?? w.message);
  process.on('warning', onWarning);
  server().mock.onMessage(/./, { content: 'ok' });
  const agents = [defineAgent({ name: 'researcher', description: 'Finds facts', systemPrompt: 'You research.' })];
  for (const provider of ['openai', 'anthropic'] as const) {
    const rt = await createRuntime({ model: { provider, model: 'm', apiKey: 'k', baseURL: provider === 'openai' ? server().openaiBaseURL : server().anthropicBaseURL } as any, agents, builtinAgents: false, seed: 1, modelOptions: { env: {} } });
    const caller = new AbortController();
    const p = Promise.all(Array.from({ length: 50 }, (_, i) => Task(`t${i}`, 'go', 'researcher', { runtime: rt })));
    await new Promise((r) => setTimeout(r, 50));
    console.log(provider, 'runtime.signal listeners', getEventListeners(rt.signal, 'abort').length);
    await p;
    console.log('after', getEventListeners(rt.signal, 'abort').length);
    await rt.close();
  }
  await new Promise((r) => setTimeout(r, 50));
  process.off('warning', onWarning);
  console.log(warnings);
});
