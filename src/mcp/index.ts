export { createMcpServer, taskSummary, runSummary, TaskToolInput, OrchestrateToolInput, PlanToolInput, type McpServerOptions } from './server.js';
export { serveMcpHttp, type McpHttpEndpoint } from './http.js';
export { orchestrationProgress, type ProgressUpdate } from './progress.js';
