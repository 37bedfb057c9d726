export type {
  Citation,
  SynthesisCheck,
  SynthesisCheckName,
  SynthesisResult,
  SynthesisSource,
  SynthesizeOptions,
} from './types.js';
export { synthesize } from './synthesize.js';
export { findCitations, citationProblems } from './citations.js';
export type { FoundCitations } from './citations.js';
export { JudgeVerdict, judgeAnswer } from './judge.js';
export type { JudgeOutcome } from './judge.js';
export { SynthesisError } from './errors.js';
