export { RunJournal, childPath, type JournalKind } from './journal.js';
export { startDurableRun, LEASE_TTL_MS, type DurableRun } from './durable-run.js';
export { journaledModel } from './model-journal.js';
export { toolCallJournal, type ToolCallSite } from './tool-journal.js';
export {
  awaitApproval,
  decideApproval,
  pendingApprovals,
  type ApprovalPolicy,
  type ApprovalDecision,
  type DecisionRecord,
  type RequestRecord,
} from './approvals.js';
export { recordDeadLetters, markForRetry, deadLetterId } from './dead-letters.js';
export { RunLeasedError, ApprovalNotPendingError, TaskFailedEarlierError, DeadLetterNotFoundError, RunNotResumableError } from './errors.js';
