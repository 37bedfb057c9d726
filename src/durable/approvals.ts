import { ApprovalPendingError, ApprovalRejectedError, type ApprovalSubject } from '../errors/approval-errors.js';
import type { EventBus } from '../events/bus.js';
import type { RunStore } from '../store/run-store.js';
import type { Clock } from '../util/clock.js';
import { ApprovalNotPendingError } from './errors.js';
import type { RunJournal } from './journal.js';

/** When work needs approval: `true`, or with a timeout after which `default` (reject unless set) applies. */
export type ApprovalPolicy = boolean | { readonly timeoutMs?: number; readonly default?: 'approve' | 'reject' };

export type ApprovalDecision = 'approved' | 'rejected';

/** A decision as journaled. */
export interface DecisionRecord {
  readonly decision: ApprovalDecision;
  readonly by: string;
  readonly reason?: string;
  readonly at: number;
}

/** A pending request as journaled. */
export interface RequestRecord {
  readonly subject: ApprovalSubject;
  readonly requestedAt: number;
  readonly timeoutMs?: number;
  readonly default?: 'approve' | 'reject';
}

/** How often a run waiting out an approval timeout looks for a decision made by another process. */
const POLL_MS = 250;

/**
 * Lets the work in `subject` go on once it is approved. A decision already journaled applies at once
 * (a rejection throws `ApprovalRejectedError`). Otherwise the request is journaled and: without a
 * timeout, `ApprovalPendingError` parks the task (the run ends `waiting`, the process may exit); with
 * one, this waits for a decision (from this process or another) until the timeout, counted from the
 * first request (so across resumes), then journals and applies the default.
 */
export async function awaitApproval(
  journal: RunJournal,
  subject: ApprovalSubject,
  policy: Exclude<ApprovalPolicy, false>,
  context: { readonly clock: Clock; readonly signal: AbortSignal; readonly events: EventBus },
): Promise<void> {
  const { clock, signal, events } = context;
  const timeoutMs = typeof policy === 'object' ? policy.timeoutMs : undefined;
  let request = journal.get<RequestRecord>('approval.requested', subject.path, subject.key);
  if (!request) {
    request = {
      subject,
      requestedAt: clock.now(),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(typeof policy === 'object' && policy.default ? { default: policy.default } : {}),
    };
    await journal.append('approval.requested', subject.path, subject.key, request);
    events.emit({ type: 'approval.requested', taskId: subject.taskId, path: subject.path, subject: subject.kind, key: subject.key, ...(subject.name ? { name: subject.name } : {}) });
  }
  for (;;) {
    const decided = journal.get<DecisionRecord>('approval.decided', subject.path, subject.key);
    if (decided) {
      if (decided.decision === 'rejected') throw new ApprovalRejectedError(subject, decided.by, decided.reason);
      return;
    }
    if (timeoutMs === undefined) throw new ApprovalPendingError(subject);
    const left = request.requestedAt + timeoutMs - clock.now();
    if (left <= 0) {
      const decision: DecisionRecord = { decision: request.default === 'approve' ? 'approved' : 'rejected', by: 'timeout', reason: `no decision within ${timeoutMs} ms`, at: clock.now() };
      await journal.append('approval.decided', subject.path, subject.key, decision);
      events.emit({ type: 'approval.decided', taskId: subject.taskId, path: subject.path, key: subject.key, decision: decision.decision, by: decision.by, reason: decision.reason! });
      continue;
    }
    await clock.sleep(Math.min(POLL_MS, left), signal);
    await journal.refresh();
  }
}

/** The requests of a run still waiting for a decision, oldest first. */
export async function pendingApprovals(store: RunStore, runId: string): Promise<RequestRecord[]> {
  const entries = await store.journal(runId);
  const decided = new Set(entries.filter((e) => e.kind === 'approval.decided').map((e) => `${e.path}\u0000${e.key}`));
  return entries.filter((e) => e.kind === 'approval.requested' && !decided.has(`${e.path}\u0000${e.key}`)).map((e) => e.data as RequestRecord);
}

/**
 * Decides every pending request of `runId` for `target`: a task id (`"t2"`, every level), or a task's
 * full path (`"t1/t2"` for task t2 of t1's sub-run). Journals who decided and why; the run continues
 * when it is resumed (or at once, if its process is waiting out a timeout).
 *
 * @throws ApprovalNotPendingError naming what is pending, when nothing for `target` is.
 */
export async function decideApproval(
  store: RunStore,
  runId: string,
  target: string,
  decision: ApprovalDecision,
  options: { readonly by?: string; readonly reason?: string; readonly now: number },
): Promise<ApprovalSubject[]> {
  const pending = await pendingApprovals(store, runId);
  const fullPath = (s: ApprovalSubject) => (s.path ? `${s.path}/${s.taskId}` : s.taskId);
  const matching = pending.filter((r) => r.subject.taskId === target || fullPath(r.subject) === target);
  if (matching.length === 0) throw new ApprovalNotPendingError(runId, target, pending.map((r) => fullPath(r.subject)));
  const record: DecisionRecord = { decision, by: options.by ?? 'unknown', ...(options.reason ? { reason: options.reason } : {}), at: options.now };
  await store.append(
    runId,
    matching.map((r) => ({ kind: 'approval.decided', path: r.subject.path, key: r.subject.key, data: record, at: options.now })),
  );
  return matching.map((r) => r.subject);
}
