import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStore } from '../src/runtime/file-store.js';
import { memoryStore } from '../src/runtime/memory-store.js';
import { StrategyOptionError } from './errors.js';
import { stigmergy } from './stigmergy.js';
import { agentOf, testAgent, testContext, testRuntime, testTask, decisionOf } from './test-support.js';

const team = [testAgent('ant1', ['code']), testAgent('ant2', ['code'])];
const task = testTask({ capabilities: ['Code'] });

describe('stigmergy', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('picks an agent from the trails, runs it, then evaporates and deposits in proportion to success', async () => {
    const store = memoryStore({ 'stigmergy/code': { $schemaVersion: 1, pheromone: { ant1: 19, ant2: 1 } } });
    const { runtime, events } = testRuntime({ agents: team, store, seed: 1, reply: (r) => `${agentOf(r)} did it` });
    const strategy = stigmergy({ exploration: 0 });
    const result = await strategy.coordinate(testContext(runtime, task));
    const decision = decisionOf<{ pick: string; probabilities: Record<string, number>; after: Record<string, number> }>(result);
    expect(decision.probabilities.ant1).toBeCloseTo(0.95);
    expect(result.output).toBe(`${decision.pick} did it`);
    // Evaporation 0.1, reinforcement 2, bounds [1, 20]: the pick gains, the other decays to no less than 1.
    const expected = decision.pick === 'ant1' ? { ant1: 19 * 0.9 + 2, ant2: 1 } : { ant1: 19 * 0.9, ant2: 0.9 + 2 };
    expect(decision.after.ant1).toBeCloseTo(expected.ant1);
    expect(decision.after.ant2).toBeCloseTo(expected.ant2);
    expect(strategy.trails(runtime, 'code').code).toEqual(decision.after);
    expect(events.find((e) => e.type === 'strategy.decision')).toMatchObject({ strategy: 'stigmergy', decision: { kind: 'code' } });
  });

  it('starts new agents at tau_max and keys the kind by the normalised, sorted capabilities', async () => {
    const { runtime } = testRuntime({ agents: team, reply: () => 'done' });
    const result = await stigmergy().coordinate(testContext(runtime, testTask({ capabilities: ['Tests', 'code'] })));
    expect(result.decision).toMatchObject({ kind: 'code+tests', pheromone: { ant1: 20, ant2: 20 } });
    expect(runtime.store.keys('stigmergy/')).toEqual(['stigmergy/code+tests']);
  });

  it('deposits nothing for a failed run, so the trail only evaporates', async () => {
    const store = memoryStore({ 'stigmergy/code': { $schemaVersion: 1, pheromone: { ant1: 10, ant2: 10 } } });
    const { runtime } = testRuntime({ agents: team, store, reply: () => ({ error: new Error('crash') }) });
    await expect(stigmergy().coordinate(testContext(runtime, task))).rejects.toThrow('crash');
    const row = stigmergy().trails(runtime, 'code').code!;
    expect(row).toEqual({ ant1: 9, ant2: 9 });
  });

  it('learns from outcomes reported with recordOutcome when assess is external', async () => {
    const { runtime } = testRuntime({ agents: team, reply: () => 'done' });
    const strategy = stigmergy({ assess: 'external' });
    await strategy.coordinate(testContext(runtime, task));
    expect(strategy.trails(runtime, 'code').code).toEqual({ ant1: 20, ant2: 20 });
    strategy.recordOutcome(runtime, { task, agent: 'ant2', success: false });
    expect(strategy.trails(runtime, 'code').code).toEqual({ ant1: 18, ant2: 18 });
    strategy.recordOutcome(runtime, { task, agent: 'ant1', success: 1 });
    expect(strategy.trails(runtime, 'code').code).toEqual({ ant1: 18 * 0.9 + 2, ant2: 18 * 0.9 });
  });

  it('keeps its trails across runtimes through a file store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskforce-stig-'));
    dirs.push(dir);
    const path = join(dir, 'store.json');
    const first = testRuntime({ agents: team, store: fileStore(path, { debounceMs: Infinity }), reply: () => 'done' });
    const strategy = stigmergy();
    for (let i = 0; i < 3; i++) await strategy.coordinate(testContext(first.runtime, task));
    const learned = strategy.trails(first.runtime, 'code');
    await first.runtime.store.flush();
    const second = testRuntime({ agents: team, store: fileStore(path), reply: () => 'done' });
    expect(stigmergy().trails(second.runtime, 'code')).toEqual(learned);
  });

  it('rejects bad options by name', () => {
    expect(() => stigmergy({ evaporation: 0 })).toThrow(StrategyOptionError);
    expect(() => stigmergy({ evaporation: 1.5 })).toThrow(/option "evaporation" must be at most 1/);
    expect(() => stigmergy({ bounds: { min: 0, max: 10 } })).toThrow(/option "bounds"/);
  });
});
