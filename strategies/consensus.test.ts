import { describe, expect, it } from 'vitest';
import { ModelApiError } from '../src/errors/model-errors.js';
import { memoryStore } from '../src/store/memory-store.js';
import { consensus } from './consensus.js';
import { NoCandidatesError, StrategyOptionError } from './errors.js';
import { reputationStore } from './reputation.js';
import { agentOf, callKind, lastPrompt, testAgent, testContext, testRuntime, testTask, decisionOf } from './test-support.js';

const team = [testAgent('a', ['geo']), testAgent('b', ['geo']), testAgent('c', ['geo']), testAgent('d', ['geo'])];
const task = testTask({ capabilities: ['geo'], title: 'Capital', instructions: 'What is the capital of France?' });

/**
 * A runtime where a answers Paris, b Lyon and c Nice, then each conflict-round vote of an agent takes
 * the next option from its list in `revotes`.
 */
function revoteRuntime(revotes: Record<string, string[]>, reason: string) {
  const answers: Record<string, string> = { a: 'Paris', b: 'Lyon', c: 'Nice' };
  const seen = new Map<string, number>();
  return testRuntime({
    agents: team,
    reply: (r) => {
      const agent = agentOf(r)!;
      if (callKind(r) !== 'vote') return answers[agent]!;
      const n = seen.get(agent) ?? 0;
      seen.set(agent, n + 1);
      return JSON.stringify({ option: revotes[agent]![n], reason });
    },
  });
}

describe('consensus', () => {
  it('asks k agents independently and takes an answer every voter gives, whatever its wording', async () => {
    const replies: Record<string, string> = { a: 'Paris', b: '**paris.**', c: 'Paris' };
    const { runtime, model, events } = testRuntime({ agents: team, reply: (r) => replies[agentOf(r)!]! });
    const result = await consensus().coordinate(testContext(runtime, task));
    expect(model.calls).toBe(3); // k = 3 of 4 candidates, no conflict round
    expect(result.output).toBe('Paris');
    expect(result.agents).toEqual(['a', 'b', 'c']);
    expect(result.decision).toMatchObject({ strategy: 'consensus', consensus: true, winner: 'A', grouping: 'exact', convergence: { reason: 'agreement', rounds: 1 } });
    expect(model.requests[0]!.messages[0]!.content).toContain('What is the capital of France?');
    expect(events.filter((e) => e.type === 'strategy.decision')).toHaveLength(1);
    // Agreeing with the vote is not an outcome: by default nothing is learned until an outcome is reported.
    expect(result.decision).toMatchObject({ choices: 2, learned: [] });
    expect(reputationStore(runtime.store).get('a', ['geo'])).toEqual({ successes: 0, failures: 0 });
  });

  it('runs a conflict round when the quorum is missed, showing the competing answers and reasons', async () => {
    const replies: Record<string, string> = { a: 'Paris', b: 'Paris', c: 'Lyon' };
    const { runtime, model } = testRuntime({
      agents: team,
      reply: (r) => {
        if (callKind(r) === 'vote') return JSON.stringify({ option: 'A', reason: agentOf(r) === 'c' ? 'Lyon is the second city; Paris is the capital' : 'Paris is the capital' });
        return replies[agentOf(r)!]!;
      },
    });
    const result = await consensus().coordinate(testContext(runtime, task));
    const votes = model.requests.filter((r) => callKind(r) === 'vote');
    expect(votes).toHaveLength(3);
    expect(lastPrompt(votes[0]!)).toContain('<option id="A" supporters="2">');
    expect(lastPrompt(votes[0]!)).toContain('Lyon');
    expect(result.output).toBe('Paris');
    const decision = decisionOf<{ consensus: boolean; rounds: { tally: { reached: boolean } }[] }>(result);
    expect(decision.consensus).toBe(true);
    expect(decision.rounds.map((r) => r.tally.reached)).toEqual([false, true]);
    // Every voter now backs A: the re-votes stop on agreement, not merely on the quorum.
    expect(result.decision).toMatchObject({ convergence: { reason: 'agreement', rounds: 2 } });
    expect(lastPrompt(votes[0]!)).toContain('conflict-resolution round 1.');
    // c answered Lyon first and lost the vote; losing a vote says nothing about c's weight.
    expect(reputationStore(runtime.store).get('c', ['geo'])).toEqual({ successes: 0, failures: 0 });
  });

  it('stops re-voting as stable when no voter moves, then takes the answer with the most expertise behind it', async () => {
    const agents = [testAgent('senior', ['geo'], { priority: 'high' }), testAgent('mid', ['geo']), testAgent('junior', ['geo'], { priority: 'low' })];
    const replies: Record<string, string> = { senior: 'Paris', mid: 'Lyon', junior: 'Nice' };
    const own: Record<string, string> = { senior: 'A', mid: 'B', junior: 'C' };
    const { runtime, model, events } = testRuntime({
      agents,
      reply: (r) => (callKind(r) === 'vote' ? JSON.stringify({ option: own[agentOf(r)!], reason: 'sure' }) : replies[agentOf(r)!]!),
    });
    const result = await consensus({ conflictRounds: 4 }).coordinate(testContext(runtime, task));
    // One re-vote (3 calls) shows nobody moved; the bound would have allowed 4 (12 calls).
    expect(model.requests.filter((r) => callKind(r) === 'vote')).toHaveLength(3);
    expect(model.calls).toBe(3 + 3);
    const decision = decisionOf<{ rounds: { round: number }[] }>(result);
    expect(decision.rounds.map((r) => r.round)).toEqual([1, 2]);
    expect(result.output).toBe('Paris');
    expect(result.decision).toMatchObject({
      consensus: false,
      fallback: 'weighted-plurality',
      winner: 'A',
      author: 'senior',
      convergence: { reason: 'stable', rounds: 2 },
    });
    expect(reputationStore(runtime.store).get('senior', ['geo'])).toEqual({ successes: 0, failures: 0 });
    const convergence = events.filter((e) => e.type === 'convergence.round' || e.type === 'convergence.stopped');
    expect(convergence).toEqual([
      expect.objectContaining({ type: 'convergence.round', taskId: 'task-1', round: 1, similarity: null }),
      expect.objectContaining({ type: 'convergence.round', taskId: 'task-1', round: 2, similarity: 1 }),
      expect.objectContaining({ type: 'convergence.stopped', taskId: 'task-1', rounds: 2, reason: 'stable' }),
    ]);
  });

  it('stops re-voting as agreement once every voter converges, before the bound', async () => {
    // Conflict round 1: c joins a (A, B, A — 2 of 3 equal votes misses 0.67); round 2: b joins too.
    const { runtime, model, events } = revoteRuntime({ a: ['A', 'A'], b: ['B', 'A'], c: ['A', 'A'] }, 'checked');
    const result = await consensus({ conflictRounds: 5 }).coordinate(testContext(runtime, task));
    expect(model.requests.filter((r) => callKind(r) === 'vote')).toHaveLength(6);
    expect(result.output).toBe('Paris');
    const decision = decisionOf<{ rounds: { tally: { reached: boolean } }[] }>(result);
    expect(decision.rounds.map((r) => r.tally.reached)).toEqual([false, false, true]);
    expect(result.decision).toMatchObject({ consensus: true, winner: 'A', convergence: { reason: 'agreement', rounds: 3 } });
    expect(events.find((e) => e.type === 'convergence.stopped')).toMatchObject({ taskId: 'task-1', rounds: 3, reason: 'agreement' });
  });

  it('re-votes up to conflictRounds while the ballots keep moving to new positions', async () => {
    // Each round rotates the picks to an arrangement not seen before; never two voters on one option.
    const { runtime, model, events } = revoteRuntime({ a: ['B', 'C'], b: ['C', 'A'], c: ['A', 'B'] }, 'reconsidered');
    const result = await consensus({ conflictRounds: 2 }).coordinate(testContext(runtime, task));
    expect(model.requests.filter((r) => callKind(r) === 'vote')).toHaveLength(6);
    expect(result.decision).toMatchObject({ consensus: false, convergence: { reason: 'max-rounds', rounds: 3 } });
    expect(events.filter((e) => e.type === 'convergence.round')).toHaveLength(3);
    expect(events.find((e) => e.type === 'convergence.stopped')).toMatchObject({ rounds: 3, reason: 'max-rounds' });
  });

  it('stops re-voting as oscillation when the ballots return to an earlier round', async () => {
    // A, B, C → B, A, C → A, B, C: round 3 repeats round 1.
    const { runtime, model } = revoteRuntime({ a: ['B', 'A'], b: ['A', 'B'], c: ['C', 'C'] }, 'flip');
    const result = await consensus({ conflictRounds: 5 }).coordinate(testContext(runtime, task));
    expect(model.requests.filter((r) => callKind(r) === 'vote')).toHaveLength(6);
    expect(result.decision).toMatchObject({ consensus: false, convergence: { reason: 'oscillation', rounds: 3 } });
  });

  it('reports a quorum reached on the first vote without re-votes', async () => {
    const replies: Record<string, string> = { a: 'Lyon', b: 'Lyon', c: 'Paris' };
    const { runtime, model, events } = testRuntime({ agents: team, reply: (r) => replies[agentOf(r)!]! });
    const result = await consensus({ weighting: 'equal', quorum: 0.6 }).coordinate(testContext(runtime, task));
    expect(model.calls).toBe(3);
    expect(result.decision).toMatchObject({ consensus: true, convergence: { reason: 'quorum', rounds: 1 } });
    expect(events.filter((e) => e.type === 'convergence.round')).toHaveLength(1);
  });

  it('lets a measured record outweigh a majority', async () => {
    const store = memoryStore();
    const reputations = reputationStore(store);
    for (let i = 0; i < 30; i++) {
      reputations.record('c', ['geo'], true);
      reputations.record('a', ['geo'], i % 2 === 0);
      reputations.record('b', ['geo'], i % 2 === 1);
    }
    const replies: Record<string, string> = { a: 'Lyon', b: 'Lyon', c: 'Paris' };
    const { runtime } = testRuntime({ agents: team, store, reply: (r) => replies[agentOf(r)!]! });
    const result = await consensus({ conflictRounds: 0 }).coordinate(testContext(runtime, task));
    expect(result.output).toBe('Paris');
    expect(result.decision).toMatchObject({ consensus: true, winner: 'B' });
  });

  it('with equal weights, the same votes go to the majority', async () => {
    const replies: Record<string, string> = { a: 'Lyon', b: 'Lyon', c: 'Paris' };
    const { runtime } = testRuntime({ agents: team, reply: (r) => replies[agentOf(r)!]! });
    const result = await consensus({ weighting: 'equal', quorum: 0.6, conflictRounds: 0 }).coordinate(testContext(runtime, task));
    expect(result.output).toBe('Lyon');
  });

  it('groups long free-text answers with a judge call', async () => {
    const long: Record<string, string> = {
      a: 'Use PostgreSQL.\nIt gives transactions and joins.',
      b: 'I recommend MongoDB.\nThe schema will change a lot.',
      c: 'PostgreSQL is the better fit:\nrelational data, strong consistency.',
    };
    const { runtime, model } = testRuntime({
      agents: team,
      reply: (r) =>
        callKind(r) === 'answer_groups'
          ? JSON.stringify({ groups: [{ answers: [2], summary: 'Use MongoDB' }, { answers: [1, 3], summary: 'Use PostgreSQL' }] })
          : long[agentOf(r)!]!,
    });
    const result = await consensus({ quorum: 0.6 }).coordinate(testContext(runtime, testTask({ capabilities: ['geo'] })));
    const judge = model.requests.find((r) => callKind(r) === 'answer_groups')!;
    expect(lastPrompt(judge)).toContain('<answer number="2">');
    expect(result.decision).toMatchObject({ grouping: 'judge', consensus: true, winner: 'A' });
    expect(decisionOf<{ options: unknown }>(result).options).toEqual([
      { id: 'A', label: 'Use PostgreSQL', members: ['a', 'c'] },
      { id: 'B', label: 'Use MongoDB', members: ['b'] },
    ]);
    expect(result.output).toBe(long.a);
  });

  it('goes on without an agent that failed, records the failure and, when it grades answers, counts it against the agent', async () => {
    const { runtime } = testRuntime({
      agents: team,
      reply: (r) => (agentOf(r) === 'b' ? { error: new ModelApiError({ provider: 'scripted', status: 500, message: 'boom' }) } : 'Paris'),
    });
    const result = await consensus({ assess: 'finish' }).coordinate(testContext(runtime, task));
    expect(result.output).toBe('Paris');
    expect(result.runs.map((r) => r.agent)).toEqual(['a', 'c']);
    expect(result.decision).toMatchObject({ consensus: true, failures: [{ agent: 'b', error: expect.stringContaining('boom') }] });
    expect(reputationStore(runtime.store).get('b', ['geo'])).toEqual({ successes: 0, failures: 1 });
  });

  it('grades each voter\'s own answer with a check, whatever the vote decided, and counts a failed run against it', async () => {
    // The check knows the answer: c is right although it loses the vote to a and d.
    const replies: Record<string, string> = { a: 'Lyon', c: 'Paris', d: 'Lyon' };
    const { runtime } = testRuntime({
      agents: team,
      reply: (r) => (agentOf(r) === 'b' ? { error: new ModelApiError({ provider: 'scripted', status: 500, message: 'boom' }) } : replies[agentOf(r)!]!),
    });
    const result = await consensus({ k: 4, conflictRounds: 0, weighting: 'equal', assess: ({ output }) => output === 'Paris' }).coordinate(testContext(runtime, task));
    expect(result.output).toBe('Lyon');
    expect(result.decision).toMatchObject({ learned: [{ agent: 'b', score: 0 }, { agent: 'a', score: 0 }, { agent: 'c', score: 1 }, { agent: 'd', score: 0 }] });
    expect(reputationStore(runtime.store).get('c', ['geo'])).toEqual({ successes: 1, failures: 0 });
    expect(reputationStore(runtime.store).get('a', ['geo'])).toEqual({ successes: 0, failures: 1 });
  });

  it('never lets agreement raise a group\'s weight: many votes won by the same pair leave the weights as they were', async () => {
    const replies: Record<string, string> = { a: 'Lyon', b: 'Lyon', c: 'Paris' };
    const { runtime } = testRuntime({ agents: team, reply: (r) => replies[agentOf(r)!]! });
    const strategy = consensus({ conflictRounds: 0, quorum: 0.6 });
    let weights: unknown;
    for (let i = 0; i < 5; i++) weights = decisionOf<{ voters: { weight: number }[] }>(await strategy.coordinate(testContext(runtime, task))).voters.map((v) => v.weight);
    expect(weights).toEqual([Math.log(0.65 / 0.35), Math.log(0.65 / 0.35), Math.log(0.65 / 0.35)].map((w) => expect.closeTo(w, 12)));
  });

  it('weighs by the number of possible answers: the choices option, or the distinct answers given', async () => {
    const replies: Record<string, string> = { a: 'Paris', b: 'Lyon', c: 'Nice' };
    const { runtime } = testRuntime({ agents: team, reply: (r) => replies[agentOf(r)!]! });
    const seen = await consensus({ conflictRounds: 0 }).coordinate(testContext(runtime, task));
    expect(seen.decision).toMatchObject({ choices: 3, voters: [{ weight: expect.closeTo(Math.log((2 * 0.65) / 0.35), 9) }, {}, {}] });
    const declared = await consensus({ conflictRounds: 0, choices: 4 }).coordinate(testContext(runtime, task));
    expect(declared.decision).toMatchObject({ choices: 4, voters: [{ weight: expect.closeTo(Math.log((3 * 0.65) / 0.35), 9) }, {}, {}] });
  });

  it('draws a dead heat at random instead of taking the first ballot', async () => {
    const replies: Record<string, string> = { a: 'Paris', b: 'Lyon' };
    const winners = new Set<string>();
    for (const seed of [1, 2, 3, 7, 8, 9]) {
      const { runtime } = testRuntime({ agents: team.slice(0, 2), seed, reply: (r) => replies[agentOf(r)!]! });
      const result = await consensus({ conflictRounds: 0, weighting: 'equal' }).coordinate(testContext(runtime, task));
      expect(result.decision).toMatchObject({ consensus: false, fallback: 'weighted-plurality', tie: ['A', 'B'] });
      winners.add(decisionOf<{ winner: string }>(result).winner);
    }
    expect([...winners].sort()).toEqual(['A', 'B']);
  });

  it('reports outcomes given later through recordOutcome with assess: external', async () => {
    const { runtime } = testRuntime({ agents: team, reply: () => 'Paris' });
    const strategy = consensus({ assess: 'external' });
    await strategy.coordinate(testContext(runtime, task));
    expect(reputationStore(runtime.store).get('a', ['geo'])).toEqual({ successes: 0, failures: 0 });
    strategy.recordOutcome(runtime, { task, agent: 'a', success: true });
    expect(reputationStore(runtime.store).get('a', ['geo'])).toEqual({ successes: 1, failures: 0 });
  });

  it('rejects bad options and a task with no candidates', async () => {
    expect(() => consensus({ k: 0 })).toThrow(StrategyOptionError);
    expect(() => consensus({ quorum: 1.2 })).toThrow(/option "quorum" must be at most 1/);
    expect(() => consensus({ quorum: 0.5 })).toThrow(/option "quorum" must be greater than 0\.5/);
    expect(() => consensus({ choices: 1 })).toThrow(/option "choices" must be at least 2/);
    expect(() => consensus({ assess: 'agreement' as never })).toThrow(/option "assess" 'agreement' is no longer accepted/);
    const { runtime } = testRuntime({ agents: team, reply: () => 'x' });
    await expect(consensus().coordinate(testContext(runtime, task, { candidates: [] }))).rejects.toThrow(NoCandidatesError);
  });
});
