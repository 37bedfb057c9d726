export { systemClock, manualClock, type Clock, type ManualClock } from './clock.js';
export { seededRandom, systemRandom, randomInt, type Random } from './random.js';
export { sequentialIds, randomIds, type IdGenerator } from './ids.js';
export { renderDataBlocks, escapeDataContent, DATA_BLOCKS_LABEL } from './data-blocks.js';
