export { queueAgentRunner, type QueueAgentRunner, type QueueAgentRunnerOptions } from './queue-agent-runner.js';
export { startAgentWorker, type AgentWorker, type AgentWorkerOptions } from './agent-worker.js';
export { redisConnection, DEFAULT_QUEUE, type RedisConnection } from './connection.js';
export { registerQueueMetrics } from './queue-metrics.js';
export { sharedRateLimit, type SharedRateLimit, type SharedRateLimitOptions } from './shared-rate-limit.js';
export { sharedTokenLimit, type SharedTokenLimit, type SharedTokenLimitOptions } from './shared-token-limit.js';
export { sharedCallLimit, type SharedCallLimit, type SharedCallLimitOptions } from './shared-call-limit.js';
