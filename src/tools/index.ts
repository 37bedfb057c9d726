export type { Tool, ToolContext } from './types.js';
export { defineTool, toolSpecOf, type ToolDefinition } from './define-tool.js';
export { executeToolCall, type ExecuteToolOptions, type ToolApprovalRequest, type ToolCallOutcome } from './execute-tool.js';
