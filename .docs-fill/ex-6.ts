import { createEventBus, createModel, createUsageMeter, systemClock } from "/work/main/src/index.ts";

const events = createEventBus({ clock: systemClock() });
const meter = createUsageMeter(events);
// A scripted model priced like a real one, so the totals have a cost; or 'anthropic:claude-haiku-4-5'.
const model = createModel(
  { provider: 'scripted', replies: ['A prince avenges his father and everyone dies.'] },
  { events, pricing: { scripted: { input: 1, output: 5 } } },
);
await model.generate({ prompt: 'Summarise the plot of Hamlet in one line.' });

const { calls, usage, costUsd } = meter.totals();
console.log(`${calls} calls, ${usage.inputTokens} in / ${usage.outputTokens} out, $${costUsd.toFixed(4)}`);
for (const m of meter.byModel()) console.log(m.provider, m.model, m.calls, m.costUsd);
meter.stop();

export {};
