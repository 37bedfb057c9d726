import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { resolveModelSource, type ResolvedModelSource } from '../../eval/model-source.js';
import { packagePath } from '../../util/package-root.js';
import { parseCommandArgs, stringFlag, type FlagSpec } from '../args.js';
import { UsageError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { println, type CliIo } from '../io.js';
import { MODEL_FLAGS, MODEL_FLAGS_HELP, modelSourceOf } from '../model-flags.js';
import { executeOrchestration, RUN_FLAGS, runOptionsOf } from './run.js';

export const DEMO_HELP = `Usage: taskforce demo [options]

Runs the example goal in examples/demo/goal.txt end to end — plan, auction decisions, a
decomposable task becoming a sub-run, synthesis with citations, refinement rounds, metrics.

With no model configured it runs OFFLINE on the hand-written scripted replies in
examples/demo/replies.mjs and says so. With TASKFORCE_MODEL, ANTHROPIC_API_KEY or
OPENAI_API_KEY set (or --model), the same command runs on that model for real.

Options (defaults: --strategy auction --refine 3 --max-depth 2 --seed 7):
  --strategy NAME     direct, consensus, hierarchical, auction, stigmergy
  --refine N          critique → revise rounds on the answer, at most N
  --max-depth N       deepest sub-run level
  --budget-usd USD    stop once the run has cost this much
  --concurrency N     tasks in flight at once (default 8)
  --seed N            reproducible randomness and ids
${MODEL_FLAGS_HELP}
  --trace FILE        write every event as JSON lines to FILE
  --json              print only the result as JSON on stdout
  -h, --help          show this help

Example:
  npm run demo
  ANTHROPIC_API_KEY=sk-ant-... npm run demo`;

const { plan: _plan, agents: _agents, ...DEMO_RUN_FLAGS } = RUN_FLAGS;
const FLAGS = { ...DEMO_RUN_FLAGS, ...MODEL_FLAGS } as const satisfies FlagSpec;

/** `taskforce demo`: the offline main job, or the same goal live when a model is configured. */
export async function demoCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs(args, FLAGS, DEMO_HELP);
  if (parsed.help) return (println(io.stdout, DEMO_HELP), EXIT.OK);
  if (parsed.positionals.length > 0) throw new UsageError(`"demo" takes no argument, got ${JSON.stringify(parsed.positionals[0])}`, DEMO_HELP);
  const options = runOptionsOf(parsed, DEMO_HELP);
  const goal = (await readFile(packagePath('examples', 'demo', 'goal.txt'), 'utf8')).trim();
  const configured = modelSourceOf(parsed, io.env, DEMO_HELP);
  const model: ResolvedModelSource = configured
    ? await resolveModelSource(configured, { env: io.env, baseDir: io.cwd })
    : await resolveModelSource({ kind: 'scripted', path: shownPath(packagePath('examples', 'demo', 'replies.mjs'), io.cwd) }, { env: io.env, baseDir: io.cwd });
  if (!options.json) {
    println(io.stderr, '=== Taskforce demo ===');
    println(io.stderr, `Goal: ${goal}`);
    if (!configured)
      println(io.stderr, 'No model is configured, so this runs OFFLINE on SCRIPTED replies written by hand (examples/demo/replies.mjs):\nthe engine is real — planning, auction, recursion, synthesis, refinement — but no model wrote these words.\nSet ANTHROPIC_API_KEY or OPENAI_API_KEY (or TASKFORCE_MODEL) to run the same goal on a real model.');
    println(io.stderr);
  }
  return executeOrchestration(
    {
      ...options,
      strategy: stringFlag(parsed, 'strategy') ?? 'auction',
      maxDepth: options.maxDepth ?? 2,
      refine: options.refine ?? { maxRounds: 3 },
      seed: options.seed ?? 7,
      goal,
      model,
    },
    io,
  );
}

/** `path` relative to `cwd` when it is inside it (shorter to read), else absolute. */
function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
