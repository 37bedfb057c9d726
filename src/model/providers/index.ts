export { anthropicProvider } from './anthropic.js';
export type { AnthropicProviderOptions } from './anthropic.js';
export { openaiProvider } from './openai.js';
export type { OpenAIProviderOptions } from './openai.js';
export { langchainProvider } from './langchain.js';
export type { LangChainProviderOptions } from './langchain.js';
export { mapSdkError } from './errors.js';
export { parseDuration, retryAfterMsFromHeaders } from './retry-after.js';
