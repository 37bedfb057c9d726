import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/store/file-store.js';
import type { Store } from '../../src/store/kv-store.js';
import type { Strategy } from '../../strategies/strategy.js';
import { seededRandom } from '../../src/util/random.js';
import { auction } from '../../strategies/auction.js';
import { stigmergy } from '../../strategies/stigmergy.js';
import { consensus, type ConsensusDecision } from '../../strategies/consensus.js';
import type { CoordinationResult } from '../../strategies/strategy.js';
import { agentOf, lastPrompt, testAgent, testContext, testRuntime, testTask } from '../../strategies/test-support.js';

// Through the real strategy shells: scripted agents, an assess() that knows each agent's success rate.
const RATES: Record<string, number> = { weak: 0.3, fair: 0.5, best: 0.9 };
const agents = Object.keys(RATES).map((name) => testAgent(name, ['code']));

async function runTasks(strategy: Strategy, store: Store, count: number, seedValue: number): Promise<Record<string, number>> {
  const { runtime } = testRuntime({ agents, store, seed: seedValue, reply: (r) => `${agentOf(r)} did it` });
  const counts: Record<string, number> = { weak: 0, fair: 0, best: 0 };
  for (let i = 0; i < count; i++) {
    const result = await strategy.coordinate(testContext(runtime, testTask({ id: `t${i}`, capabilities: ['code'] })));
    counts[result.agents[0]!]! += 1;
  }
  await store.flush();
  return counts;
}

describe('learning strategies, end to end through coordinate()', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const assessWith = (seedValue: number) => {
    const random = seededRandom(seedValue * 7919);
    return ({ agent }: { agent: string }) => random.next() < RATES[agent]!;
  };

  it('stigmergy sends most work to the best agent, and a new runtime on the same file store keeps the trails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskforce-colony-'));
    dirs.push(dir);
    const path = join(dir, 'store.json');
    const strategy = stigmergy({ assess: assessWith(3) });
    const first = await runTasks(strategy, fileStore(path, { debounceMs: Infinity }), 200, 3);
    expect(first.best).toBeGreaterThan(100);
    // A fresh runtime (as in the next run of the program) starts from the learned trails.
    const second = await runTasks(stigmergy({ assess: assessWith(4) }), fileStore(path, { debounceMs: Infinity }), 20, 4);
    expect(second.best).toBeGreaterThanOrEqual(14);
  });

  it('consensus weighs voters by the outcomes reported with recordOutcome, so the expert outvotes two juniors', async () => {
    const accuracy: Record<string, number> = { expert: 0.9, junior1: 0.6, junior2: 0.6 };
    const panel = Object.keys(accuracy).map((name) => testAgent(name, ['judgement']));
    const truth = (i: number) => (i % 2 === 0 ? 'yes' : 'no');
    const answers = new Map<string, string>();
    const { runtime } = testRuntime({
      agents: panel,
      reply: (r) => {
        const i = Number(/Question (\d+)/.exec(lastPrompt(r))![1]);
        const agent = agentOf(r)!;
        // Drawn per agent and question, so the order the calls arrive in does not matter.
        const right = seededRandom(`${agent}/${i}`).next() < accuracy[agent]!;
        const answer = right ? truth(i) : truth(i + 1);
        answers.set(`${agent}/${i}`, answer);
        return answer;
      },
    });
    const strategy = consensus({ conflictRounds: 0 });
    let last: CoordinationResult | undefined;
    for (let i = 0; i < 60; i++) {
      const task = testTask({ id: `q${i}`, title: `Question ${i}`, capabilities: ['judgement'] });
      last = await strategy.coordinate(testContext(runtime, task));
      // Later, the truth comes out (a check, an eval, a reviewer) and is reported for every voter.
      for (const agent of Object.keys(accuracy)) strategy.recordOutcome(runtime, { task, agent, success: answers.get(`${agent}/${i}`) === truth(i) });
    }
    const voters = (last!.decision as unknown as ConsensusDecision).voters;
    const weight = (name: string) => voters.find((v) => v.agent === name)!.weight;
    expect(weight('expert')).toBeGreaterThan(weight('junior1') + weight('junior2'));
    expect(voters.map((v) => v.record.successes + v.record.failures)).toEqual([59, 59, 59]);
  });

  it('an auction with equal bids hires the best agent for most tasks once reputations build up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskforce-market-'));
    dirs.push(dir);
    const counts = await runTasks(auction({ bidder: 'deterministic', assess: assessWith(5) }), fileStore(join(dir, 's.json'), { debounceMs: Infinity }), 200, 5);
    expect(counts.best).toBeGreaterThan(100);
  });
});
