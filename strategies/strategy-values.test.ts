import { describe, expect, it } from 'vitest';
import type { AgentRunResult } from '../src/agents/types.js';
import { TaskforceError } from '../src/errors/taskforce-error.js';
import { auction } from './auction.js';
import { consensus } from './consensus.js';
import { StrategyValueError } from './errors.js';
import { assessRun } from './outcome.js';
import { reputationStore } from './reputation.js';
import { stigmergy } from './stigmergy.js';
import { testAgent, testContext, testRuntime, testTask } from './test-support.js';

// Values a caller hands a strategy at run time (a bidder's offer, an assess() grade, a reported outcome)
// are the caller's to get right: a wrong one is a Taskforce error with a code, naming agent and task.

const team = [testAgent('ant1', ['code']), testAgent('ant2', ['code'])];
const task = testTask({ id: 'fix-bug', capabilities: ['code'] });

function caught(fn: () => unknown): TaskforceError {
  try {
    fn();
  } catch (error) {
    if (TaskforceError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

describe('values given to a strategy', () => {
  it('drops a bid out of range from a custom bidder, naming the agent and the task', async () => {
    const { runtime } = testRuntime({ agents: team, reply: () => 'done' });
    const bidder = ({ match }: { match: { agent: { name: string } } }) => ({ cost: match.agent.name === 'ant1' ? Number.NaN : 1, confidence: 1 });
    const result = await auction({ bidder }).coordinate(testContext(runtime, task));
    expect(result.decision).toMatchObject({
      winner: 'ant2',
      invalidBids: [{ agent: 'ant1', error: 'bid of agent "ant1" for task "fix-bug" has cost NaN; it must be finite and >= 0' }],
    });
  });

  it('rejects a grade out of [0, 1] from an assess function', async () => {
    const { runtime } = testRuntime({ agents: team, reply: () => 'done' });
    const run = { output: 'done', finishReason: 'final' } as unknown as AgentRunResult;
    const grading = assessRun(() => 7, { output: 'done', agent: 'ant1', run, context: testContext(runtime, task) });
    await expect(grading).rejects.toThrow(StrategyValueError);
    await expect(assessRun(() => 7, { output: 'done', agent: 'ant1', run, context: testContext(runtime, task) })).rejects.toMatchObject({
      code: 'STRATEGY_VALUE_INVALID',
      agent: 'ant1',
      taskId: 'fix-bug',
      message: expect.stringContaining('assess() for task "fix-bug" (agent "ant1") returned 7'),
    });
  });

  it('rejects an outcome out of [0, 1] reported to stigmergy, and learns nothing from it', () => {
    const { runtime } = testRuntime({ agents: team, reply: () => 'done' });
    const strategy = stigmergy({ assess: 'external' });
    const error = caught(() => strategy.recordOutcome(runtime, { task, agent: 'ant2', success: 1.5 }));
    expect(error.code).toBe('STRATEGY_VALUE_INVALID');
    expect(error.message).toBe('recordOutcome for agent "ant2" on task "fix-bug": success must be a boolean or a number in [0, 1], got 1.5');
    expect(strategy.trails(runtime, 'code')).toEqual({ code: {} });
  });

  it('rejects an outcome out of [0, 1] reported to a reputation strategy, and records nothing', () => {
    const { runtime } = testRuntime({ agents: team, reply: () => 'done' });
    const error = caught(() => consensus({ assess: 'external' }).recordOutcome(runtime, { task, agent: 'ant1', success: -1 }));
    expect(error).toBeInstanceOf(StrategyValueError);
    expect(error.message).toContain('agent "ant1" on task "fix-bug"');
    expect(reputationStore(runtime.store, 'consensus').get('ant1', ['code'])).toEqual({ successes: 0, failures: 0 });
  });
});
