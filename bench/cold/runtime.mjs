/**
 * The runtime the Task() and orchestrate() paths run on: `createTaskforce` with the scripted model as
 * a model spec (so it sits behind the runtime's resilience, pricing and budget chain, as a real
 * provider would), one agent, no built-ins, caps out of the way.
 *
 * Every reply carries its usage, as a real provider's does: the scripted model then skips its own
 * token counting, which is the fake's cost, not the runtime's. For the same reason it keeps no log of
 * the requests it got (a log of every prompt of a 10,000-task run holds megabytes the GC must walk).
 */
import { createTaskforce, defineAgent } from '../../dist/src/index.js';

const USAGE = Object.freeze({ inputTokens: 10, outputTokens: 2 });
const WORKER_REPLY = Object.freeze({ text: 'Done.', usage: USAGE });
const SYNTHESIS_REPLY = Object.freeze({ text: 'Done [t0].', usage: USAGE });

/** The one agent; Task() names it, orchestrate() matches it. */
export const AGENT = 'worker';

export function benchAgent(name = AGENT, capabilities = ['research']) {
  return defineAgent({ name, description: `Benchmark agent ${name}`, systemPrompt: `You are ${name}.`, capabilities });
}

/** A reply carrying usage, for scripts of their own (e.g. the memory child's held replies). */
export const reply = (text) => ({ text, usage: USAGE });

/**
 * Replies by role: the planner gets `plannerText` (a call without it is an error), the synthesizer a
 * short answer citing `t0`, agents a short text.
 */
export function benchReplies(plannerText) {
  const planned = plannerText === undefined ? undefined : reply(plannerText);
  return (request) => {
    if (request.responseFormat?.name === 'plan') {
      if (!planned) throw new Error('bench: the planner was called, but this run gave a plan');
      return planned;
    }
    return request.messages[0]?.content.startsWith('You are the synthesizer') ? SYNTHESIS_REPLY : WORKER_REPLY;
  };
}

/** `createTaskforce` on the scripted model (`latencyMs` on the runtime's system clock). */
export function benchTaskforce({ replies = benchReplies(), latencyMs = 0, concurrency = 64, agents = [benchAgent()] } = {}) {
  return createTaskforce({
    // A provider keeps no log of its requests: the fake's would be counted against the runtime.
    model: { provider: 'scripted', replies, latencyMs, keepRequests: false },
    agents,
    builtinAgents: false,
    limits: { concurrency, maxAgents: 1e9 },
  });
}
