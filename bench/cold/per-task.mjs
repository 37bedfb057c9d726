/**
 * One cold process, one path on one workload: µs per task of the first run (cold), then of `warm`
 * more runs in the same process.
 *
 *   node bench/cold/per-task.mjs <raw|scheduler|task|orchestrate> <W1|W3|W4> [warm rounds = 3]
 */
import { emit, numberArg, timed } from './emit.mjs';
import { createPath } from './paths.mjs';
import { WORKLOADS } from './workloads.mjs';

const [pathName, workload] = process.argv.slice(2);
const warmRounds = numberArg(2, 3);
const deps = WORKLOADS[workload]?.();
if (!deps) throw new Error(`bench: unknown workload "${workload}" (${Object.keys(WORKLOADS).join(', ')})`);

const path = await createPath(pathName);
const micros = [];
for (let round = 0; round <= warmRounds; round++) {
  const input = path.prepare(deps);
  const { ms } = await timed(() => path.run(input));
  micros.push((ms * 1000) / deps.length);
}
await path.close();
emit({ path: pathName, workload, tasks: deps.length, coldUs: micros[0], warmUs: micros.slice(1) });
