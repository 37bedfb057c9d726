export { TaskforceError, ConfigError, AbortedError } from './taskforce-error.js';
export { ModelApiError, ModelConnectionError, ModelTimeoutError, ModelResponseError } from './model-errors.js';
export { StructuredOutputError, RefusalError, TruncatedOutputError } from './output-errors.js';
export { BudgetExceededError } from './budget-errors.js';
