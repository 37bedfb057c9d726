/**
 * `npm run bench`: runs every benchmark in turn; each prints its own figures.
 * Benchmarks measure and print; they never fail on a number (the machines are shared and noisy).
 */
import { main as agentsLoad } from './agents-load.js';
import { main as durable } from './durable.js';
import { main as matcher } from './matcher.js';
import { main as scheduler } from './scheduler.js';
import { main as users } from './users/index.js';
import { main as workers } from './workers.js';

const benches: [string, () => Promise<unknown>][] = [
  ['agents: loading trees of agent files', agentsLoad],
  ['matcher: capability matching latency', matcher],
  ['scheduler: overhead, makespan efficiency, memory', scheduler],
  ['strategies: each strategy against its baseline (seeded, 500 seeds)', async () => (await import('./strategies.js')).main()],
  ['durable: journal appends and the cost of journaling a run (issue 14)', durable],
  ['workers: agents on worker processes through BullMQ on Redis (issue 19)', workers],
  ['users: Task(), orchestrate(), plans, start-up and the CLI, cold processes on dist/ (issue 13)', users],
];

for (const [name, run] of benches) {
  console.log(`\n=== ${name} ===`);
  await run();
}
