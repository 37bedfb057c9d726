/**
 * Capability-matcher benchmark: builds the index over 1,000 and 10,000 seeded synthetic agents and
 * prints the latency of one assignment (`rank`) over many queries: wall-clock p50/p90/p99/max and
 * process CPU time p50/p99 (less disturbed by other processes on a shared machine).
 *
 *   npx tsx bench/matcher.ts
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { defineAgent } from '../src/agents/define.js';
import { createMatcher, type MatchTask } from '../src/agents/matcher.js';
import type { AgentDefinition } from '../src/agents/types.js';
import { randomInt, seededRandom, type Random } from '../src/util/random.js';

const SIZES = [1_000, 10_000];
const WARMUP_QUERIES = 500;
const QUERIES = 5_000;
const CAPABILITY_COUNT = 200;
const WORD_COUNT = 4_000;

/** Pseudo-words from syllables, so text has a realistic, Zipf-like term distribution. */
function makeWords(random: Random, count: number): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ter', 'san', 'dro', 'vel', 'qui', 'nor', 'pha', 'zu', 'ben', 'cor', 'tis', 'ul'];
  const words = new Set<string>();
  while (words.size < count) {
    let word = '';
    for (let i = 0, n = 2 + randomInt(random, 3); i < n; i++) word += syllables[randomInt(random, syllables.length)];
    words.add(word);
  }
  return [...words];
}

/**
 * A Zipf–Mandelbrot sampler over [0, n): P(i) ∝ 1/(i + 10). The offset flattens the head the way
 * dropping stop words does, so the commonest word is ~2% of tokens, not ~11% as in plain Zipf.
 */
function zipfSampler(random: Random, n: number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cdf[i] = total += 1 / (i + 10);
  return () => {
    const target = random.next() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

interface Corpus {
  readonly word: () => string;
  readonly capability: () => string;
  readonly random: Random;
}

function sentence(corpus: Corpus, length: number): string {
  return Array.from({ length }, corpus.word).join(' ');
}

function makeAgents(corpus: Corpus, count: number): AgentDefinition[] {
  const { random } = corpus;
  return Array.from({ length: count }, (_, i) =>
    defineAgent({
      name: `agent-${String(i).padStart(5, '0')}`,
      description: sentence(corpus, 10 + randomInt(random, 20)),
      systemPrompt: sentence(corpus, 150 + randomInt(random, 350)),
      capabilities: Array.from({ length: 2 + randomInt(random, 5) }, corpus.capability),
      priority: (['low', 'medium', 'high', 'critical'] as const)[randomInt(random, 4)]!,
    }),
  );
}

function makeQuery(corpus: Corpus): MatchTask {
  return {
    capabilities: Array.from({ length: 1 + randomInt(corpus.random, 3) }, corpus.capability),
    text: sentence(corpus, 5 + randomInt(corpus.random, 20)),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const fmt = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

/** Runs the benchmark and prints one block per size; returns the figures too. */
export async function main(): Promise<{ size: number; limit: number | undefined; p50: number; p99: number }[]> {
  const random = seededRandom('taskforce-matcher-bench');
  const words = makeWords(random, WORD_COUNT);
  const capabilities = Array.from({ length: CAPABILITY_COUNT }, (_, i) => `capability-${i}`);
  const wordIndex = zipfSampler(random, words.length);
  const capabilityIndex = zipfSampler(random, capabilities.length);
  const corpus: Corpus = { random, word: () => words[wordIndex()]!, capability: () => capabilities[capabilityIndex()]! };
  const results: { size: number; limit: number | undefined; p50: number; p99: number }[] = [];

  console.log(
    `matcher: 1-3 capabilities + 5-24 words per query, ${WARMUP_QUERIES} warm-up queries; ` +
      `load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} CPUs (wall times include other processes' share)`,
  );
  for (const size of SIZES) {
    const agents = makeAgents(corpus, size);
    const buildStart = performance.now();
    const matcher = createMatcher(agents);
    const buildMs = performance.now() - buildStart;
    const queries = Array.from({ length: QUERIES + WARMUP_QUERIES }, () => makeQuery(corpus));

    for (const limit of [5, undefined]) {
      // A full ranking of 10,000 agents is slow by nature (it sorts them all); fewer queries suffice.
      const measured = limit === undefined ? QUERIES / 5 : QUERIES;
      const wall: number[] = [];
      const cpu: number[] = [];
      let returned = 0;
      queries.slice(0, WARMUP_QUERIES + measured).forEach((query, i) => {
        const cpuStart = process.cpuUsage();
        const start = performance.now();
        const matches = matcher.rank(query, limit === undefined ? {} : { limit });
        const elapsed = performance.now() - start;
        const cpuUsed = process.cpuUsage(cpuStart);
        if (i >= WARMUP_QUERIES) {
          wall.push(elapsed);
          cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
          returned += matches.length;
        }
      });
      wall.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      const p50 = percentile(wall, 50);
      const p99 = percentile(wall, 99);
      results.push({ size, limit, p50, p99 });
      console.log(
        `  ${String(size).padStart(6)} agents, limit ${String(limit ?? 'none').padEnd(4)} (${measured} queries): ` +
          `wall p50 ${fmt(p50)}  p90 ${fmt(percentile(wall, 90))}  p99 ${fmt(p99)}  max ${fmt(wall.at(-1)!)} | ` +
          `cpu p50 ${fmt(percentile(cpu, 50))}  p99 ${fmt(percentile(cpu, 99))} | ` +
          `${Math.round(returned / wall.length)} matches returned on average`,
      );
    }
    console.log(`  ${String(size).padStart(6)} agents: index built in ${buildMs.toFixed(0)} ms`);
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
