/**
 * The capability index: one runtime with `agents` generated agents (capability words from the
 * vocabulary), and orchestrate() twice with a one-task user plan. If the index is built once per
 * runtime, the second run does not pay for it again.
 *
 *   node bench/cold/capability-index.mjs [agents = 1000]
 */
import { CAPABILITY_VOCABULARY } from '../../dist/src/index.js';
import { emit, numberArg, timed } from './emit.mjs';
import { benchAgent, benchTaskforce } from './runtime.mjs';
import { expectFinished } from './paths.mjs';

const count = numberArg(0, 1000);
const words = Object.keys(CAPABILITY_VOCABULARY);
const agents = Array.from({ length: count }, (_, i) =>
  benchAgent(`agent-${i}`, [words[i % words.length], words[(i * 7 + 3) % words.length], words[(i * 13 + 5) % words.length]]),
);
const plan = {
  goal: 'bench',
  tasks: [{ id: 't0', title: 'Review the findings', instructions: 'Review the findings for defects and risks.', capabilities: ['review'] }],
};

const { ms: setupMs, value: tf } = await timed(() => benchTaskforce({ agents }));
const run = async () => expectFinished(await tf.orchestrate('bench', { plan }));
const first = await timed(run);
const second = await timed(run);
await tf.close();
emit({ agents: count, setupMs, firstMs: first.ms, secondMs: second.ms });
