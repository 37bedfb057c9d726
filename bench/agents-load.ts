/**
 * Agent-loading benchmark: writes trees of seeded agent files (mixed Claude Code and community
 * formats, nested folders) to a temp directory and prints how long `loadAgents` takes over them.
 *
 *   npx tsx bench/agents-load.ts
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadAgents } from '../src/agents/load.js';
import { randomInt, seededRandom, type Random } from '../src/util/random.js';

const SIZES = [100, 500, 2_000];
const RUNS = 7;
const CAPABILITIES = ['research', 'analysis', 'code', 'review', 'testing', 'writing', 'editing', 'planning', 'security', 'data'];

function agentFile(random: Random, i: number): string {
  const caps = [CAPABILITIES[randomInt(random, CAPABILITIES.length)], CAPABILITIES[randomInt(random, CAPABILITIES.length)]];
  const body = Array.from({ length: 20 }, (_, line) => `Step ${line + 1}: work carefully on part ${line} of the task and report what you found.`).join('\n');
  return i % 2 === 0
    ? `---\nname: agent-${i}\ndescription: Handles ${caps.join(' and ')} work for team ${i % 17}.\ntools: Read, Grep, Glob\nmodel: inherit\n---\n${body}\n`
    : `---\nname: agent-${i}\ndescription: Specialist in ${caps.join(', ')}.\ntype: specialist\ncapabilities: [${caps.join(', ')}]\npriority: high\nhooks:\n  pre: |\n    echo start\n---\n${body}\n`;
}

async function writeTree(dir: string, count: number, random: Random): Promise<void> {
  await Promise.all(
    Array.from({ length: 10 }, (_, folder) => mkdir(join(dir, `team-${folder}`, 'nested'), { recursive: true })),
  );
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      writeFile(join(dir, `team-${i % 10}`, i % 3 === 0 ? 'nested' : '', `agent-${i}.md`), agentFile(random, i)),
    ),
  );
}

/** Prints median and best load time per tree size; returns the figures. */
export async function main(): Promise<{ files: number; medianMs: number; perFileUs: number }[]> {
  const figures: { files: number; medianMs: number; perFileUs: number }[] = [];
  for (const size of SIZES) {
    const dir = await mkdtemp(join(tmpdir(), 'taskforce-agents-bench-'));
    try {
      await writeTree(dir, size, seededRandom(size));
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        const { agents } = await loadAgents(dir);
        times.push(performance.now() - started);
        if (agents.length !== size) throw new Error(`loaded ${agents.length} of ${size} agents`);
      }
      times.sort((a, b) => a - b);
      const medianMs = times[Math.floor(times.length / 2)]!;
      figures.push({ files: size, medianMs, perFileUs: (medianMs * 1000) / size });
      console.log(
        `loadAgents ${String(size).padStart(5)} files in nested folders: median ${medianMs.toFixed(1)} ms, best ${times[0]!.toFixed(1)} ms (${((medianMs * 1000) / size).toFixed(0)} µs/file, ${RUNS} runs)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
