export type { AgentDefinition, AgentMatch, AgentPriority, AgentRegistry, AgentRunResult, AgentStep } from './types.js';
export {
  AgentDefinitionError,
  AgentLoadError,
  DuplicateAgentError,
  UnknownAgentError,
  type AgentSourceLocation,
} from './errors.js';
export type { AgentWarning } from './build.js';
export { parseAgentMarkdown, type ParsedAgentFile } from './parse-file.js';
export { loadAgents, type AgentLoadProblem, type LoadAgentsOptions, type LoadAgentsResult } from './load.js';
export { withBuiltins, type AgentOverride } from './override.js';
export { defineAgent, type AgentInput } from './define.js';
export { createAgentRegistry } from './registry.js';
export { builtinAgents } from './builtin.js';
export { CAPABILITY_VOCABULARY, normalizeCapability, normalizeCapabilities } from './capabilities.js';
export { createMatcher, type AgentMatcher, type MatchTask, type RankOptions } from './matcher.js';
export { runAgent, stepCap, type AgentEnvironment, type RunAgentOptions } from './loop.js';
export {
  toolsForAgent,
  approvalFor,
  type AgentTools,
  type ToolAccess,
  type ApproveToolCall,
  type ToolCallApproval,
} from './tool-selection.js';
export { runHook, HookFailedError, hookEnvironment, type HookKind, type HookOutcome } from './hooks.js';
