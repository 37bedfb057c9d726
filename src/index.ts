/**
 * Taskforce: multi-agent LLM orchestration. One goal in, one finished result out.
 *
 * The public surface, one line per part; each folder's `index.ts` picks what leaves it.
 * @packageDocumentation
 */
export * from './errors/index.js';
export * from './util/index.js';
export * from './events/index.js';
export * from './model/index.js';
export * from './tools/index.js';
export * from './agents/index.js';
export * from './plan/index.js';
export * from './api/index.js';
export * from './scheduler/index.js';
export * from './orchestrate/lineage.js';
export * from './convergence/index.js';
export * from './synthesis/index.js';
export * from '../strategies/index.js';
export * from './eval/index.js';
