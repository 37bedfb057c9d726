/**
 * `taskforce/testing`: what tests, benchmarks and offline runs of code built on Taskforce need to be
 * deterministic — a scripted model, a manual clock, seeded randomness and ids, a memory store.
 *
 * @example
 * ```ts
 * import { createTaskforce } from 'taskforce-agents';
 * import { scriptedModel, modelFromProvider, manualClock } from 'taskforce-agents/testing';
 *
 * const model = modelFromProvider(scriptedModel({ replies: ['4'] }));
 * const tf = await createTaskforce({ model, seed: 1, clock: manualClock() });
 * const result = await tf.task('add', 'What is 2 + 2? Reply with the number only.', 'generalist');
 * ```
 */
export { scriptedModel, ScriptError } from '../model/scripted.js';
export type { ScriptedModel, ScriptedModelOptions, ScriptedReply, ScriptFn } from '../model/scripted.js';
export { modelFromProvider } from '../model/model.js';
export { manualClock, type ManualClock } from '../util/clock.js';
export { seededRandom } from '../util/random.js';
export { sequentialIds } from '../util/ids.js';
export { memoryStore } from '../store/memory-store.js';
