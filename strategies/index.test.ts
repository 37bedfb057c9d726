import { describe, expect, it } from 'vitest';
import { createStrategy, STRATEGY_NAMES, UnknownStrategyError, StrategyOptionError } from './index.js';
import { consensus } from './consensus.js';
import { agentOf, callKind, testAgent, testContext, testRuntime, testTask } from './test-support.js';

describe('createStrategy', () => {
  it('makes each built-in strategy by name', () => {
    expect(STRATEGY_NAMES).toEqual(['consensus', 'hierarchical', 'auction', 'stigmergy']);
    for (const name of STRATEGY_NAMES) expect(createStrategy(name).name).toBe(name);
  });

  it('passes options given with the name, and checks them', async () => {
    const agents = [testAgent('a', ['x']), testAgent('b', ['x'])];
    const { runtime } = testRuntime({ agents, reply: (r) => (callKind(r) === 'bid' ? JSON.stringify({ cost: 9, confidence: 1, rationale: '' }) : `${agentOf(r)}`) });
    const strategy = createStrategy({ name: 'auction', reserve: 5 });
    await expect(strategy.coordinate(testContext(runtime, testTask({ capabilities: ['x'] })))).rejects.toThrow(/reserve price 5/);
    expect(() => createStrategy({ name: 'consensus', k: -1 })).toThrow(StrategyOptionError);
  });

  it('returns a strategy object as it is', () => {
    const own = consensus({ k: 5 });
    expect(createStrategy(own)).toBe(own);
  });

  it('names the known strategies when the name is unknown', () => {
    expect(() => createStrategy('voting')).toThrow(UnknownStrategyError);
    expect(() => createStrategy('voting')).toThrow('unknown strategy "voting"; known strategies: consensus, hierarchical, auction, stigmergy');
  });
});
