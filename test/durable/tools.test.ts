import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { resumeRun } from '../../src/api/resume.js';
import { decideApproval, pendingApprovals } from '../../src/durable/approvals.js';
import { memoryRunStore } from '../../src/store/memory-run-store.js';
import { defineAgent } from '../../src/agents/define.js';
import { defineTool } from '../../src/tools/define-tool.js';
import type { WorkCall } from '../orchestrate/script.js';
import { scripted } from '../orchestrate/helpers.js';

const PLAN = { goal: 'Email the owl report', tasks: [{ id: 'send', title: 'Do send', instructions: 'Send the report', agent: 'mailer' }] };
const MAILER = defineAgent({ name: 'mailer', description: 'Sends mail', systemPrompt: 'You are mailer.', tools: ['send_email'] });

/** A side-effecting tool that records each execution with its idempotency key. */
function sendEmail(sent: { to: string; key: string | undefined }[], extra: { idempotent?: boolean; requiresApproval?: boolean } = {}) {
  return defineTool({
    name: 'send_email',
    description: 'Sends an email',
    input: z.object({ to: z.string() }),
    sideEffects: true,
    ...extra,
    execute: ({ to }, context) => {
      sent.push({ to, key: context.idempotencyKey });
      return `sent to ${to}`;
    },
  });
}

/** The mailer calls the tool once, then answers with what the tool said. */
const mailerWork = (onAnswer?: () => void) => (call: WorkCall) => {
  if (call.toolResults.length === 0) return { toolCalls: [{ name: 'send_email', input: { to: 'ranger@park.example' } }] };
  onAnswer?.();
  return `Report sent (${call.toolResults[0]}).`;
};

describe('durable runs: tool calls', () => {
  it('a tool call that completed before a crash is not run again: its result comes from the journal, its key is stable', async () => {
    const store = memoryRunStore();
    const sent: { to: string; key: string | undefined }[] = [];
    const crash = new AbortController();
    const first = scripted({ plans: {}, work: mailerWork(() => crash.abort('crash after the tool ran')) }, {
      durable: store, runId: 'run_mail', plan: PLAN, agents: [MAILER], tools: [sendEmail(sent)], signal: crash.signal,
    });
    expect((await orchestrate('Email the owl report', first.options)).stoppedBy?.kind).toBe('cancelled');
    expect(sent).toEqual([{ to: 'ranger@park.example', key: 'run_mail:send:mailer#1' }]);

    const second = scripted({ plans: {}, work: mailerWork() }, { durable: store, agents: [MAILER], tools: [sendEmail(sent)] });
    const done = await resumeRun('run_mail', second.options);
    expect(done.tree.tasks[0]?.output).toBe('Report sent (sent to ranger@park.example).');
    expect(sent).toHaveLength(1);
    // The tool-calling step came from the journal; only the final answer was asked for again.
    expect(second.provider.requests.filter((r) => r.system === 'You are mailer.')).toHaveLength(1);
    expect(done.durable?.replayedCalls).toBe(1);
  });

  it('a tool that requires approval parks the task until someone approves that call', async () => {
    const store = memoryRunStore();
    const sent: { to: string; key: string | undefined }[] = [];
    const first = scripted({ plans: {}, work: mailerWork() }, { durable: store, runId: 'run_gate', plan: PLAN, agents: [MAILER], tools: [sendEmail(sent, { requiresApproval: true })] });
    const waiting = await orchestrate('Email the owl report', first.options);
    expect(waiting.stoppedBy?.kind).toBe('waiting');
    expect(sent).toEqual([]);
    expect((await pendingApprovals(store, 'run_gate')).map((r) => r.subject)).toEqual([
      { kind: 'tool', path: '', taskId: 'send', name: 'send_email', key: 'tool:send:mailer#1' },
    ]);
    await decideApproval(store, 'run_gate', 'send', 'approved', { by: 'ops', now: 1 });
    const second = scripted({ plans: {}, work: mailerWork() }, { durable: store, agents: [MAILER], tools: [sendEmail(sent, { requiresApproval: true })] });
    const done = await resumeRun('run_gate', second.options);
    expect(done.stoppedBy).toBeUndefined();
    expect(sent).toEqual([{ to: 'ranger@park.example', key: 'run_gate:send:mailer#1' }]);
  });

  it('warns before running again a non-idempotent tool that started before a crash, and stays quiet for an idempotent one', async () => {
    for (const idempotent of [false, true]) {
      const store = memoryRunStore();
      const runId = `run_warn_${idempotent}`;
      // The journal of a process that died inside the tool call: started, never completed.
      await store.createRun({ runId, goal: 'Email the owl report', options: { plan: PLAN }, createdAt: 0 });
      const sent: { to: string; key: string | undefined }[] = [];
      const crashed = scripted({ plans: {}, work: mailerWork() }, { durable: store, runId, plan: PLAN, agents: [MAILER], tools: [sendEmail(sent, { idempotent })] });
      // Replay the first process up to the tool call by running it with a tool that never returns.
      const hang = new AbortController();
      const hanging = defineTool({ name: 'send_email', description: 'Sends an email', input: z.object({ to: z.string() }), sideEffects: true, idempotent, execute: () => new Promise<string>(() => hang.abort('died mid-call')) });
      await orchestrate('Email the owl report', { ...crashed.options, tools: [hanging], signal: hang.signal });
      const second = scripted({ plans: {}, work: mailerWork() }, { durable: store, agents: [MAILER], tools: [sendEmail(sent, { idempotent })] });
      await resumeRun(runId, second.options);
      expect(sent).toHaveLength(1);
      const warnings = second.events.filter((e) => e.type === 'log' && e.level === 'warn' && e.message.includes('started before a crash'));
      expect(warnings.length, `idempotent: ${idempotent}`).toBe(idempotent ? 0 : 1);
    }
  });
});
