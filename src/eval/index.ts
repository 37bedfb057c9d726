export { defineSuite, SuiteSpec, CaseSpec, CheckSpec, TaskCallSpec, ModelSourceInput } from './types.js';
export type { LoadedSuite, CheckContext, CustomCheckFn, CustomCheckResult, ZodLike } from './types.js';
export { loadSuite, suiteFromSpec } from './load-suite.js';
export { runSuite, sourceOf, ALL_STRATEGIES, type RunSuiteOptions } from './runner.js';
export type { CaseResult } from './case-result.js';
export { runCheck, type CheckResult, type JudgeFn } from './checks.js';
export { summarize, summarizeReport, withThreshold, type EvalReport, type EvalSummary } from './report.js';
export { reportMarkdown } from './markdown.js';
export { loadRepliesFile, repliesFrom, type RepliesFile } from './replies-file.js';
export {
  resolveModelSource,
  modelFromEnvironment,
  DEFAULT_MODEL_FOR_KEY,
  type ModelSource,
  type ResolvedModelSource,
  type Provenance,
} from './model-source.js';
export { EvalSuiteError, RepliesFileError } from './errors.js';
