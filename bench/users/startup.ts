/**
 * Figure 6: start-up, spawn to exit, median of several cold processes: `node -e 0` (the floor),
 * importing the package by name (as users do: the bundle in dist/pkg), `taskforce --help`; and CLI start to the first model call, taken when the
 * loopback server sees the request.
 */
import { join } from 'node:path';
import { figureOf, type Figure } from './figure.js';
import type { Loopback } from './loopback.js';
import { interleaved, processMs, ROOT, spawnAndWait, type ChildResult } from './spawn.js';

const CLI = join(ROOT, 'dist/pkg/cli/main.js');
const COMMANDS = {
  floor: ['-e', '0'],
  // By its name, from the repository (a package may import itself): the file users get, dist/pkg/index.js.
  import: ['--input-type=module', '-e', `await import('taskforce-agents')`],
  help: [CLI, '--help'],
} as const;
const ms = (v: Readonly<Record<string, unknown>>) => Number(v.ms);

export async function measureStartup(repeats: number, cliRepeats: number, loopback: Loopback): Promise<Figure[]> {
  console.log(`  start-up: ${repeats} cold processes each; CLI to first model call: ${cliRepeats}`);
  const timings = interleaved(repeats, ['floor', 'import', 'help'] as const, (key) => processMs(COMMANDS[key]));
  const firstCall: ChildResult[] = [];
  for (let i = 0; i < cliRepeats; i++) firstCall.push(await cliToFirstCall(loopback));
  return [
    figureOf('start-up: node -e 0 (floor)', 'ms', timings.get('floor')!, ms),
    figureOf('start-up: import of the package', 'ms', timings.get('import')!, ms, { target: { op: '<=', value: 200 } }),
    figureOf('start-up: taskforce --help', 'ms', timings.get('help')!, ms, { target: { op: '<=', value: 200 } }),
    figureOf('start-up: CLI start to first model call', 'ms', firstCall, ms, {
      target: { op: '<=', value: 300 },
      note: '`taskforce task generalist "hi" --model openai:gpt-4o-mini` against the loopback server',
    }),
  ];
}

async function cliToFirstCall(loopback: Loopback): Promise<ChildResult> {
  loopback.reset();
  let spawnedAt = 0;
  const env = { ...process.env, OPENAI_API_KEY: 'test', OPENAI_BASE_URL: loopback.baseURL };
  const run = await spawnAndWait([CLI, 'task', 'generalist', 'hi', '--model', 'openai:gpt-4o-mini'], { env, timeoutMs: 60_000 }, (at) => (spawnedAt = at));
  const arrived = loopback.firstRequestAt;
  if (arrived === undefined) return { ok: false, error: `no model call arrived (exit ${run.status ?? run.signal}: ${run.stderr.trim().slice(0, 200)})` };
  return { ok: true, value: { ms: arrived - spawnedAt } };
}
