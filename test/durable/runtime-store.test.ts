import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTaskforce } from '../../src/api/create-taskforce.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { openSqliteRunStore } from '../../src/store/sqlite-run-store.js';
import { modelFromProvider } from '../../src/model/model.js';
import { scriptedModel } from '../../src/model/scripted.js';
import { AGENTS } from '../orchestrate/helpers.js';
import { teamScript } from '../orchestrate/script.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-runstore-'));
  dirs.push(dir);
  return join(dir, 'taskforce.db');
};

describe('a runtime with a run store', () => {
  it('keeps what the learning strategies store in the same database, across runtimes', async () => {
    const path = tempDb();
    const model = modelFromProvider(scriptedModel({ replies: ['unused'] }));
    const first = await createRuntime({ runStore: path, model, builtinAgents: false, agents: AGENTS });
    first.store.set('pheromone:owls', { trail: [1, 2, 3] });
    await first.close();
    const second = await createRuntime({ runStore: path, model, builtinAgents: false, agents: AGENTS });
    expect(second.store.get('pheromone:owls')).toEqual({ trail: [1, 2, 3] });
    await second.close();
  });

  it('is where its durable runs journal by default, and where taskforce.resume finds them', async () => {
    const path = tempDb();
    const provider = scriptedModel({ replies: teamScript({ plans: { owls: [{ id: 'facts' }] } }) });
    const tf = await createTaskforce({ runStore: path, model: modelFromProvider(provider), builtinAgents: false, agents: AGENTS });
    const result = await tf.orchestrate('Tell me about owls', { durable: true, runId: 'run_rt' });
    expect(result.durable).toMatchObject({ runId: 'run_rt', store: path, resumed: false });
    const calls = provider.requests.length;
    const again = await tf.resume('run_rt');
    expect(again.output).toBe(result.output);
    expect(provider.requests).toHaveLength(calls);
    await tf.close();
    const store = await openSqliteRunStore(path);
    expect((await store.getRun('run_rt'))?.status).toBe('completed');
    await store.close();
  });
});
