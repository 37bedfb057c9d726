import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStore } from '../src/store/file-store.js';
import { memoryStore } from '../src/store/memory-store.js';
import { StrategyOptionError } from './errors.js';
import { stigmergy } from './stigmergy.js';
import { agentOf, testAgent, testContext, testRuntime, testTask, decisionOf } from './test-support.js';

const team = [testAgent('ant1', ['code']), testAgent('ant2', ['code'])];
const task = testTask({ capabilities: ['Code'] });

describe('stigmergy', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('picks an agent from the trails, runs it, then updates its trail with the outcome', async () => {
    const store = memoryStore({ 'stigmergy/code': { $schemaVersion: 2, trails: { ant1: { success: 9, failure: 1 }, ant2: { success: 1, failure: 9 } } } });
    const { runtime, events } = testRuntime({ agents: team, store, seed: 1, reply: (r) => `${agentOf(r)} did it` });
    const strategy = stigmergy();
    const result = await strategy.coordinate(testContext(runtime, task));
    const decision = decisionOf<{ pick: string; probabilities: Record<string, number>; belief: Record<string, number>; after: Record<string, { success: number; failure: number }> }>(
      result,
    );
    expect(decision.probabilities.ant1).toBeGreaterThan(0.99);
    expect(decision.belief).toEqual({ ant1: 10 / 12, ant2: 2 / 12 });
    expect(result.output).toBe(`${decision.pick} did it`);
    // Evaporation 0.04 of the picked agent's trail, then one success laid; the other trail is untouched.
    expect(decision.pick).toBe('ant1');
    expect(decision.after.ant1!.success).toBeCloseTo(9 * 0.96 + 1);
    expect(decision.after.ant1!.failure).toBeCloseTo(0.96);
    expect(decision.after.ant2).toEqual({ success: 1, failure: 9 });
    expect(strategy.trails(runtime, 'code').code).toEqual(decision.after);
    expect(events.find((e) => e.type === 'strategy.decision')).toMatchObject({ strategy: 'stigmergy', decision: { kind: 'code' } });
  });

  it('starts agents new to a kind with empty trails (the prior alone) and keys the kind by the normalised, sorted capabilities', async () => {
    const { runtime } = testRuntime({ agents: team, reply: () => 'done' });
    const result = await stigmergy().coordinate(testContext(runtime, testTask({ capabilities: ['Tests', 'code'] })));
    expect(result.decision).toMatchObject({
      kind: 'code+tests',
      pheromone: { ant1: { success: 0, failure: 0 }, ant2: { success: 0, failure: 0 } },
      belief: { ant1: 0.5, ant2: 0.5 },
    });
    expect(decisionOf<{ probabilities: Record<string, number> }>(result).probabilities.ant1).toBeCloseTo(0.5, 3);
    expect(runtime.store.keys('stigmergy/')).toEqual(['stigmergy/code+tests']);
  });

  it('counts a failed run as a failure: its failure pheromone rises', async () => {
    const store = memoryStore({ 'stigmergy/code': { $schemaVersion: 2, trails: { ant1: { success: 5, failure: 0 }, ant2: { success: 5, failure: 0 } } } });
    const { runtime } = testRuntime({ agents: team, store, reply: () => ({ error: new Error('crash') }) });
    await expect(stigmergy().coordinate(testContext(runtime, task))).rejects.toThrow('crash');
    const row = stigmergy().trails(runtime, 'code').code!;
    const failed = Object.entries(row).find(([, t]) => t.failure > 0)!;
    expect(failed[1]).toEqual({ success: 5 * 0.96, failure: 1 });
  });

  it('learns from outcomes reported with recordOutcome when assess is external', async () => {
    const { runtime } = testRuntime({ agents: team, reply: () => 'done' });
    const strategy = stigmergy({ assess: 'external' });
    await strategy.coordinate(testContext(runtime, task));
    expect(strategy.trails(runtime, 'code').code).toEqual({ ant1: { success: 0, failure: 0 }, ant2: { success: 0, failure: 0 } });
    strategy.recordOutcome(runtime, { task, agent: 'ant2', success: false });
    strategy.recordOutcome(runtime, { task, agent: 'ant1', success: 1 });
    strategy.recordOutcome(runtime, { task, agent: 'ant1', success: 0.5 });
    expect(strategy.trails(runtime, 'code').code).toEqual({ ant1: { success: 0.96 + 0.5, failure: 0.5 }, ant2: { success: 0, failure: 1 } });
  });

  it('loads trails stored by the version before success and failure trails (schema 1) as empty trails', () => {
    const store = memoryStore({ 'stigmergy/code': { $schemaVersion: 1, pheromone: { ant1: 19, ant2: 1 } } });
    expect(stigmergy().trails({ store }, 'code')).toEqual({ code: { ant1: { success: 0, failure: 0 }, ant2: { success: 0, failure: 0 } } });
    expect(() => stigmergy().trails({ store: memoryStore({ 'stigmergy/code': { $schemaVersion: 2, trails: { ant1: 3 } } }) }, 'code')).toThrow(
      /store entry "stigmergy\/code"/,
    );
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

  it('rejects bad options by name, and the removed ones with what to use instead', () => {
    expect(() => stigmergy({ evaporation: 0 })).toThrow(StrategyOptionError);
    expect(() => stigmergy({ evaporation: 1.5 })).toThrow(/option "evaporation" must be at most 1/);
    expect(() => stigmergy({ alpha: 0 })).toThrow(/option "alpha" must be greater than 0/);
    expect(() => stigmergy({ prior: { success: 0, failure: 1 } })).toThrow(/option "prior"/);
    expect(() => stigmergy({ bounds: { min: 1, max: 10 } } as never)).toThrow(/option "bounds" was removed.*"prior"/);
    expect(() => stigmergy({ initial: 5 } as never)).toThrow(/option "initial" was removed/);
  });
});
