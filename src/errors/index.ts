export { TaskforceError, ConfigError, AbortedError } from './taskforce-error.js';
export { ModelApiError, ModelConnectionError, ModelTimeoutError, ModelResponseError } from './model-errors.js';
export { StructuredOutputError, RefusalError, TruncatedOutputError, EmptyOutputError } from './output-errors.js';
export { BudgetExceededError } from './budget-errors.js';
export { ERROR_CODES, isErrorCode, type ErrorCode } from './codes.js';
export { isStop, stopKind, isBudgetStop, isAborted, isApprovalPending, type StopKind } from './classify.js';
export { errorMessage, errorInfo, type ErrorInfo } from './error-info.js';
export { RecursionCapError, type CapKind, type CapReport } from './recursion-errors.js';
export { ApprovalPendingError, ApprovalRejectedError, describeSubject, type ApprovalSubject } from './approval-errors.js';
