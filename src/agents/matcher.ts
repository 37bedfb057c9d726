import type { AgentDefinition, AgentMatch, AgentPriority } from './types.js';
import { normalizeCapabilities } from './capabilities.js';
import { buildTextIndex } from './text-index.js';
import { tokenize } from './text.js';
import { topK } from './top-k.js';

/** What to match: required capabilities and the task's words. A `TaskSpec` fits as it is. */
export interface MatchTask {
  readonly capabilities?: readonly string[];
  readonly text?: string;
  readonly title?: string;
  readonly instructions?: string;
}

/** Options of `AgentMatcher.rank`. */
export interface RankOptions {
  /** Return at most this many matches. */
  readonly limit?: number;
  /**
   * Also return agents that match nothing (coverage 0, relevance 0) after the others, e.g. to
   * always have a fallback. Default false.
   */
  readonly includeUnmatched?: boolean;
}

/** A capability matcher over a fixed set of agents; build once, rank many times. */
export interface AgentMatcher {
  /**
   * Agents for `task`, best first: by capability coverage, then BM25 text relevance of
   * name + description + capabilities + system prompt, then agents declaring `general` (the
   * fallback), then priority, then name. An agent is
   * returned when it covers a required capability or shares a word with the task; when the task
   * gives neither, every agent fits equally and all are returned.
   */
  rank(task: MatchTask | string, options?: RankOptions): AgentMatch[];
  readonly size: number;
}

const GENERAL = 'general';
/** Words whose stems a matcher remembers, at most (then it starts again): a bound for long-lived runtimes. */
const MAX_STEMS = 50_000;
const PRIORITY_RANK: Record<AgentPriority, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * Builds the matcher's indexes (capability → agents, term → postings with precomputed BM25
 * weights), so a query touches only the agents that share a capability or term with it.
 *
 * `score` = coverage + s / (k + 1), where k is the number of required capabilities and
 * s = relevance / (1 + relevance) < 1: coverage always dominates and relevance orders agents of
 * equal coverage. Scores compare within one ranking.
 *
 * @example
 * const matcher = createMatcher(await builtinAgents());
 * const [best] = matcher.rank({ capabilities: ['code', 'refactoring'], text: 'Refactor the CSV parser' }, { limit: 3 });
 * console.log(best?.agent.name, best?.reason); // coder covers 2/2 capabilities (code, refactoring); text relevance 4.05
 */
export function createMatcher(agents: Iterable<AgentDefinition>): AgentMatcher {
  // Ids follow name order, so "lower id" is the final, deterministic tie-break.
  const docs = [...agents].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const n = docs.length;
  const priority = Int8Array.from(docs, (a) => PRIORITY_RANK[a.priority ?? 'medium']);

  // Agents built by hand may carry unnormalised capability names; loaded ones are normalised already.
  const docCapabilities = docs.map((agent) => new Set(normalizeCapabilities(agent.capabilities)));
  // The tie-breaks after coverage and relevance do not depend on the task, so they are folded into
  // one precomputed rank: on an exact tie (typically: nothing in the task matched anyone) a
  // generalist is the right fallback, then higher priority, then name.
  const general = docCapabilities.map((caps) => (caps.has(GENERAL) ? 1 : 0));
  const tieRank = new Int32Array(n);
  Array.from({ length: n }, (_, id) => id)
    .sort((a, b) => general[b]! - general[a]! || priority[b]! - priority[a]! || a - b)
    .forEach((id, rank) => (tieRank[id] = rank));
  const capabilityIndex = new Map<string, number[]>();
  docCapabilities.forEach((caps, id) => {
    for (const cap of caps) {
      const list = capabilityIndex.get(cap);
      if (list) list.push(id);
      else capabilityIndex.set(cap, [id]);
    }
  });

  const textIndex = buildTextIndex(
    docs.map((agent) => ({
      // Name, description and capabilities say what the agent is for; the prompt says how it works.
      header: `${agent.name} ${agent.description} ${agent.capabilities.join(' ')}`,
      body: agent.systemPrompt,
    })),
  );

  // Stems of the words queries used: tasks of one plan share most of their words.
  const stems = new Map<string, string>();
  const terms = new Set<string>();
  // Scratch arrays reused by every query (rank is synchronous, so no two queries interleave).
  const covered = new Int32Array(n);
  const relevance = new Float64Array(n);
  const seen = new Uint8Array(n);
  const touchedIds = new Int32Array(n);

  const everyId = (): number[] => {
    const ids = new Array<number>(n);
    for (let id = 0; id < n; id++) ids[id] = id;
    return ids;
  };

  function rank(task: MatchTask | string, options: RankOptions = {}): AgentMatch[] {
    const spec: MatchTask = typeof task === 'string' ? { text: task } : task;
    const required = spec.capabilities && spec.capabilities.length > 0 ? normalizeCapabilities(spec.capabilities) : NONE;
    if (stems.size > MAX_STEMS) stems.clear();
    // Each distinct word once; the set is the matcher's, emptied for each query.
    terms.clear();
    for (const term of tokenize(queryText(spec), stems)) terms.add(term);
    let touchedCount = 0;

    for (const cap of required) {
      for (const id of capabilityIndex.get(cap) ?? []) {
        covered[id]!++;
        if (seen[id] === 0) {
          seen[id] = 1;
          touchedIds[touchedCount++] = id;
        }
      }
    }
    for (const term of terms) {
      const postings = textIndex.postings(term);
      if (!postings) continue;
      const { ids, weights } = postings;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        relevance[id]! += weights[i]!;
        if (seen[id] === 0) {
          seen[id] = 1;
          touchedIds[touchedCount++] = id;
        }
      }
    }
    // Plain loops: Array.from goes through the iterator protocol, a cost per query that showed in profiles.
    const touched = new Array<number>(touchedCount);
    for (let i = 0; i < touchedCount; i++) touched[i] = touchedIds[i]!;

    try {
      const matchesNothing = required.length === 0 && touched.length === 0;
      const all = matchesNothing || options.includeUnmatched === true;
      const candidates = all ? everyId() : touched;
      const better = (a: number, b: number) => covered[b]! - covered[a]! || relevance[b]! - relevance[a]! || tieRank[a]! - tieRank[b]!;
      const ranked = options.limit === undefined ? candidates.sort(better) : topK(candidates, Math.max(0, options.limit), better);
      return ranked.map((id) => toMatch(docs[id]!, docCapabilities[id]!, required, covered[id]!, relevance[id]!));
    } finally {
      // The scratch arrays must be clean for the next query whatever happened in this one.
      for (const id of touched) {
        covered[id] = 0;
        relevance[id] = 0;
        seen[id] = 0;
      }
    }
  }

  return { rank, size: n };
}

const NONE: readonly string[] = Object.freeze([]);

/** The words a task is matched on: its title, instructions and free text, one per line. */
function queryText(spec: MatchTask): string {
  let text = '';
  for (const part of [spec.title, spec.instructions, spec.text]) if (part) text = text ? `${text}\n${part}` : part;
  return text;
}

function toMatch(
  agent: AgentDefinition,
  own: ReadonlySet<string>,
  required: readonly string[],
  coveredCount: number,
  relevance: number,
): AgentMatch {
  const k = required.length;
  const coverage = k === 0 ? 1 : coveredCount / k;
  const score = coverage + relevance / (1 + relevance) / (k + 1);
  const rounded = Math.round(relevance * 100) / 100;
  let caps: string;
  if (k === 0) caps = 'no capabilities required';
  else {
    const have = required.filter((c) => own.has(c));
    const missing = required.filter((c) => !own.has(c));
    caps = `covers ${have.length}/${k} capabilities (${have.length > 0 ? have.join(', ') : 'none'}${missing.length > 0 ? `; missing ${missing.join(', ')}` : ''})`;
  }
  return { agent, score, capabilityCoverage: coverage, textRelevance: relevance, reason: `${caps}; text relevance ${rounded}` };
}
