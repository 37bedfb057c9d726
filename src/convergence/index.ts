export type { SimilarityFn } from './similarity.js';
export {
  agreementOf,
  jaccardOfSets,
  jaccardSimilarity,
  normalizeText,
  roundSimilarity,
  shingles,
  shingleSimilarity,
  shingleSimilarityOf,
  tokenize,
} from './similarity.js';
export type { ConvergenceDetector, ConvergenceOptions, ConvergenceReason, ConvergenceState } from './detector.js';
export { createConvergenceDetector } from './detector.js';
export type { IterateOptions, IterationResult, IterationStep } from './iterate.js';
export { iterateUntilConverged } from './iterate.js';
export { ConvergenceError } from './errors.js';
