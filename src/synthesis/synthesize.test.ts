import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEventBus } from '../events/bus.js';
import type { EventOf } from '../events/types.js';
import { modelFromProvider } from '../model/model.js';
import type { ScriptFn, ScriptedReply } from '../model/scripted.js';
import { scriptedModel } from '../model/scripted.js';
import type { ProviderRequest } from '../model/types.js';
import { manualClock } from '../util/clock.js';
import { synthesize } from './synthesize.js';
import type { SynthesisSource } from './types.js';

const results: SynthesisSource[] = [
  { taskId: 'size', title: 'Market size', output: 'The market is worth about $4B and grows 12% a year.', agents: ['researcher'] },
  { taskId: 'rivals', title: 'Competitors', output: 'Acme holds 40% share; Globex 25%.', agents: ['researcher', 'analyst'] },
];
const goal = 'Brief the board on the widget market';

function scripted(replies: readonly ScriptedReply[] | ScriptFn) {
  const provider = scriptedModel({ replies });
  return { provider, model: modelFromProvider(provider) };
}

function lastUser(request: ProviderRequest): string {
  const last = request.messages.at(-1);
  if (last?.role !== 'user') throw new Error(`expected the last message to be the user's, got ${last?.role}`);
  return last.content;
}

function recordAttempts() {
  const events = createEventBus({ clock: manualClock() });
  const attempts: EventOf<'synthesis.attempt'>[] = [];
  events.onType('synthesis.attempt', (e) => attempts.push(e));
  return { events, attempts };
}

describe('synthesize (text)', () => {
  it('merges results with the goal in view and maps cited parts to task ids', async () => {
    const { provider, model } = scripted((request) => {
      const prompt = lastUser(request);
      expect(prompt).toContain(goal);
      expect(prompt).toContain('<result id="size" title="Market size" agents="researcher">');
      expect(prompt).toContain('Acme holds 40% share');
      expect(prompt).toContain('Use only these ids: size, rivals');
      return 'The market is worth $4B, growing 12% [size].\n\nAcme and Globex lead with 65% together [rivals, size].';
    });
    const { events, attempts } = recordAttempts();
    const result = await synthesize({ goal, results, model, events });
    expect(result.output).toContain('[rivals, size]');
    expect(result.citations).toEqual([
      { part: 'The market is worth $4B, growing 12%.', taskIds: ['size'] },
      { part: 'Acme and Globex lead with 65% together.', taskIds: ['rivals', 'size'] },
    ]);
    expect(result).toMatchObject({ passed: true, attempts: 1, chosenAttempt: 1 });
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(provider.calls).toBe(1);
    expect(attempts).toEqual([expect.objectContaining({ attempt: 1, passed: true, problems: [] })]);
  });

  it('re-asks when the answer cites an unknown task id, quoting its previous answer', async () => {
    const first = 'Worth $4B [size].\n\nAcme leads [competitors].';
    const { provider, model } = scripted((request, call) => {
      if (call === 0) return first;
      expect(request.messages).toHaveLength(3);
      expect(request.messages[1]).toEqual({ role: 'assistant', content: first });
      expect(lastUser(request)).toContain('cites unknown task id "competitors"; cite only these ids: "size", "rivals"');
      return 'Worth $4B [size].\n\nAcme leads [rivals].';
    });
    const result = await synthesize({ goal, results, model });
    expect(provider.calls).toBe(2);
    expect(result).toMatchObject({ passed: true, attempts: 2, chosenAttempt: 2 });
    expect(result.citations.map((c) => c.taskIds)).toEqual([['size'], ['rivals']]);
    expect(result.checks.filter((c) => !c.passed)).toEqual([
      { attempt: 1, check: 'citations', passed: false, problems: [expect.stringContaining('"competitors"')] },
    ]);
  });

  it('re-asks an answer with no citations at all', async () => {
    const { model } = scripted((request, call) => {
      if (call === 0) return 'An answer with no markers.';
      expect(lastUser(request)).toContain('cites no sources');
      return 'An answer with markers [size, rivals].';
    });
    const result = await synthesize({ goal, results, model });
    expect(result).toMatchObject({ passed: true, attempts: 2 });
  });

  it('re-asks an answer cut off at the token limit', async () => {
    const { model } = scripted((request, call) => {
      if (call === 0) return { text: 'The market is worth [size', stopReason: 'max_tokens' };
      expect(lastUser(request)).toContain('cut off at the token limit');
      return 'Short: $4B [size]; Acme leads [rivals].';
    });
    const result = await synthesize({ goal, results, model, maxTokens: 50 });
    expect(result).toMatchObject({ passed: true, attempts: 2 });
    expect(result.checks[0]).toMatchObject({ attempt: 1, check: 'complete', passed: false });
  });

  it('returns the best attempt flagged as failing once the bound is reached', async () => {
    const { provider, model } = scripted([
      'Two bad ids [x1].\n\nAnd [x2].',
      'One bad id [x3].\n\nOne good [size].',
    ]);
    const { events, attempts } = recordAttempts();
    const result = await synthesize({ goal, results, model, events, maxAttempts: 2 });
    expect(provider.calls).toBe(2);
    expect(result).toMatchObject({ passed: false, attempts: 2, chosenAttempt: 2, output: 'One bad id [x3].\n\nOne good [size].' });
    expect(result.citations).toEqual([{ part: 'One good.', taskIds: ['size'] }]);
    expect(attempts.map((a) => [a.attempt, a.passed, a.problems.length])).toEqual([
      [1, false, 3],
      [2, false, 1],
    ]);
  });

  it('keeps an earlier attempt when a later one is worse', async () => {
    const { model } = scripted(['Good [size].\n\nBad [nope].', 'Bad [a].\n\nBad [b].\n\nBad [c].']);
    const result = await synthesize({ goal, results, model, maxAttempts: 2 });
    expect(result).toMatchObject({ passed: false, chosenAttempt: 1, output: 'Good [size].\n\nBad [nope].' });
  });

  it('throws SynthesisError in strict mode when no attempt passes', async () => {
    const { model } = scripted(['No markers.', 'Still none.']);
    const run = synthesize({ goal, results, model, strict: true });
    await expect(run).rejects.toMatchObject({
      code: 'SYNTHESIS_FAILED',
      attempts: 2,
      raw: 'Still none.',
      message: expect.stringContaining('strict'),
    });
  });

  it('passes a single result through without a model call', async () => {
    const { provider, model } = scripted([]);
    const only = results[0]!;
    const result = await synthesize({ goal, results: [only], model });
    expect(provider.calls).toBe(0);
    expect(result).toMatchObject({ output: only.output, attempts: 0, passed: true, citations: [{ part: only.output, taskIds: ['size'] }] });
  });

  it('stops with AbortedError when the signal fires during an attempt', async () => {
    const controller = new AbortController();
    const { model } = scripted(() => {
      controller.abort();
      return 'No markers.';
    });
    await expect(synthesize({ goal, results, model, signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('rejects bad input with a ConfigError naming the field', async () => {
    const { model } = scripted([]);
    await expect(synthesize({ goal, results: [], model })).rejects.toMatchObject({ code: 'CONFIG_ERROR', message: expect.stringContaining('"results" is empty') });
    await expect(synthesize({ goal, results: [results[0]!, results[0]!], model })).rejects.toMatchObject({
      message: expect.stringContaining('results[1].taskId" repeats task id "size"'),
    });
    await expect(synthesize({ goal, results, model, maxAttempts: 0 })).rejects.toMatchObject({ message: expect.stringContaining('maxAttempts') });
  });
});

describe('synthesize (output schema)', () => {
  const Brief = z.object({ headline: z.string(), marketUsd: z.number() });

  it('repairs an answer that fails the schema, feeding back the issues', async () => {
    const { provider, model } = scripted((request, call) => {
      if (call === 0) {
        expect(lastUser(request)).toContain('JSON Schema of `answer`');
        expect(lastUser(request)).toContain('"marketUsd"');
        return JSON.stringify({ answer: { headline: 'Big market', marketUsd: '4B' }, citations: [{ part: 'size', taskIds: ['size'] }] });
      }
      expect(lastUser(request)).toMatch(/schema: answer\.marketUsd: .*number/i);
      return JSON.stringify({
        answer: { headline: 'Big market', marketUsd: 4e9 },
        citations: [{ part: 'headline', taskIds: ['size', 'rivals'] }],
      });
    });
    const { events, attempts } = recordAttempts();
    const result = await synthesize({ goal, results, model, events, outputSchema: Brief });
    expect(provider.calls).toBe(2);
    expect(result.output).toEqual({ headline: 'Big market', marketUsd: 4e9 });
    expect(result.citations).toEqual([{ part: 'headline', taskIds: ['size', 'rivals'] }]);
    expect(attempts.map((a) => a.passed)).toEqual([false, true]);
    expect(attempts[0]?.problems).toEqual([expect.stringMatching(/^schema: answer\.marketUsd/)]);
  });

  it('flags unknown ids in structured citations', async () => {
    const { model } = scripted((request, call) => {
      if (call === 0) return JSON.stringify({ answer: { headline: 'h', marketUsd: 1 }, citations: [{ part: 'h', taskIds: ['ghost'] }] });
      expect(lastUser(request)).toContain('cites unknown task id "ghost"');
      return JSON.stringify({ answer: { headline: 'h', marketUsd: 1 }, citations: [{ part: 'h', taskIds: ['size'] }] });
    });
    const result = await synthesize({ goal, results, model, outputSchema: Brief });
    expect(result).toMatchObject({ passed: true, attempts: 2, citations: [{ part: 'h', taskIds: ['size'] }] });
  });

  it('synthesizes a single result when a schema asks for a shape', async () => {
    const { provider, model } = scripted([JSON.stringify({ answer: { headline: 'h', marketUsd: 4 }, citations: [{ part: 'h', taskIds: ['size'] }] })]);
    const result = await synthesize({ goal, results: [results[0]!], model, outputSchema: Brief });
    expect(provider.calls).toBe(1);
    expect(result.output).toEqual({ headline: 'h', marketUsd: 4 });
  });

  it('throws SynthesisError, keeping the raw reply, when no attempt ever matches the schema', async () => {
    const { model } = scripted(['not json at all', '{"answer": {"headline": 3}, "citations": []}']);
    await expect(synthesize({ goal, results, model, outputSchema: Brief })).rejects.toMatchObject({
      code: 'SYNTHESIS_FAILED',
      raw: '{"answer": {"headline": 3}, "citations": []}',
      message: expect.stringContaining('output schema'),
    });
  });
});

describe('synthesize (judge rubric)', () => {
  const rubric = 'States the market size in dollars. Names the market leader.';
  const answers = ['The market is big [size].', 'The market is worth $4B [size]; Acme leads [rivals].'];

  it('re-synthesizes with the judge reasons until the rubric passes', async () => {
    const { provider: writer, model } = scripted((request, call) => {
      if (call === 1) {
        expect(request.messages[1]).toEqual({ role: 'assistant', content: answers[0] });
        expect(lastUser(request)).toContain('rubric: gives no dollar figure');
      }
      return answers[call]!;
    });
    const { provider: judgeProvider, model: judge } = scripted((request, call) => {
      const prompt = lastUser(request);
      expect(prompt).toContain(rubric);
      expect(prompt).toContain(goal);
      expect(prompt).toContain(answers[call]!);
      return call === 0
        ? JSON.stringify({ pass: false, reasons: ['gives no dollar figure', 'does not name the leader'] })
        : JSON.stringify({ pass: true, reasons: [] });
    });
    const result = await synthesize({ goal, results, model, judge, rubric });
    expect(writer.calls).toBe(2);
    expect(judgeProvider.calls).toBe(2);
    expect(result).toMatchObject({ passed: true, attempts: 2, output: answers[1] });
    expect(result.checks.filter((c) => c.check === 'rubric')).toEqual([
      { attempt: 1, check: 'rubric', passed: false, problems: ['rubric: gives no dollar figure', 'rubric: does not name the leader'] },
      { attempt: 2, check: 'rubric', passed: true, problems: [] },
    ]);
  });

  it('does not call the judge on an answer that already failed a structural check', async () => {
    const { model } = scripted(['Cites a ghost [ghost].', answers[1]!]);
    const { provider: judgeProvider, model: judge } = scripted([JSON.stringify({ pass: true, reasons: [] })]);
    const result = await synthesize({ goal, results, model, judge, rubric });
    expect(judgeProvider.calls).toBe(1);
    expect(result.passed).toBe(true);
  });

  it('counts a failing verdict without reasons as a problem', async () => {
    const { model } = scripted([answers[0]!]);
    const { model: judge } = scripted([JSON.stringify({ pass: false, reasons: [] })]);
    const result = await synthesize({ goal, results, model, judge, rubric, maxAttempts: 1 });
    expect(result.passed).toBe(false);
    expect(result.checks.at(-1)?.problems).toEqual(['rubric: the judge failed the answer without giving reasons']);
  });

  it('uses the synthesis model as judge when none is given, and adds up usage and cost of both', async () => {
    const { provider, model } = scripted(['The market is worth $4B [size].', JSON.stringify({ pass: true, reasons: [] })]);
    const result = await synthesize({ goal, results: [results[0]!], model, rubric });
    expect(provider.calls).toBe(2);
    const [write, verdict] = provider.requests;
    expect(lastUser(write!)).toContain('## Results');
    expect(lastUser(verdict!)).toContain('## Rubric');
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.passed).toBe(true);
  });
});
