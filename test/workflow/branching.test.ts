import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/workflow/types.js';
import { agentOf, firstUserText } from '../orchestrate/script.js';
import { statuses, task, team, worker, workflow } from './harness.js';

// Branching patterns: WCP-4 Exclusive Choice, WCP-5 Simple Merge, WCP-6 Multi-Choice, WCP-7 Structured
// Synchronizing Merge, and an exclusive choice an agent decides.

/** `classify` answers `label`; the other tasks `out:<title>`. */
const classifying = (label: string, latency: Record<string, number> = {}) => worker(latency, (call) => (call.title === 'classify' ? label : `out:${call.title}`));

describe('workflow patterns: branching', () => {
  it('WCP-4 Exclusive Choice: only the first branch whose condition holds runs, else `otherwise`', async () => {
    const steps: Step[] = [
      task('classify'),
      {
        id: 'route',
        choice: {
          branches: [
            { when: 'outputs.classify contains "urgent"', label: 'escalate', steps: [task('escalate')] },
            // Also holds for "urgent bug": exclusive, so it must not run then.
            { when: 'lower(outputs.classify) contains "bug"', label: 'fix', steps: [task('fix')] },
          ],
          otherwise: [task('archive')],
        },
      },
    ];
    const urgent = team({ work: classifying('urgent bug') });
    expect(statuses(await urgent.run(workflow(steps)))).toEqual([
      ['classify', 'completed'],
      ['escalate', 'completed'],
    ]);
    expect(urgent.stepEvents().find((e) => e.step === 'route' && e.phase === 'completed' && e.detail?.startsWith('took'))?.detail).toBe('took escalate');

    const bug = team({ work: classifying('a Bug report') });
    expect(statuses(await bug.run(workflow(steps)))).toEqual([
      ['classify', 'completed'],
      ['fix', 'completed'],
    ]);

    const neither = team({ work: classifying('a question') });
    expect(statuses(await neither.run(workflow(steps)))).toEqual([
      ['classify', 'completed'],
      ['archive', 'completed'],
    ]);
  });

  it('WCP-5 Simple Merge: the task after an exclusive choice runs once, after whichever branch was taken, with its output', async () => {
    const steps: Step[] = [
      task('classify'),
      { choice: { branches: [{ when: 'outputs.classify == "a"', steps: [task('left')] }, { when: 'outputs.classify == "b"', steps: [task('right')] }] } },
      task('merge'),
    ];
    for (const [label, taken, other] of [
      ['a', 'left', 'right'],
      ['b', 'right', 'left'],
    ] as const) {
      const t = team({ work: classifying(label, { left: 40, right: 70 }) });
      const result = await t.run(workflow(steps));
      expect(statuses(result)).toEqual([
        ['classify', 'completed'],
        [taken, 'completed'],
        ['merge', 'completed'],
      ]);
      expect(t.calls.filter((c) => c.title === 'merge')).toHaveLength(1);
      expect(t.start('merge')).toBe(t.end(taken));
      expect(t.prompt('merge')).toContain(`out:${taken}`);
      expect(t.calls.some((c) => c.title === other)).toBe(false);
    }
  });

  it('WCP-6 Multi-Choice: every branch whose condition holds runs, in parallel; the others do not', async () => {
    const t = team({ work: classifying('price and legal', { pricing: 100, legal: 100, tech: 100 }) });
    const result = await t.run(
      workflow([
        task('classify'),
        {
          multi_choice: [
            { when: 'outputs.classify contains "price"', steps: [task('pricing')] },
            { when: 'outputs.classify contains "tech"', steps: [task('tech')] },
            { when: 'outputs.classify contains "legal"', steps: [task('legal')] },
          ],
        },
      ]),
    );
    expect(statuses(result)).toEqual([
      ['classify', 'completed'],
      ['pricing', 'completed'],
      ['legal', 'completed'],
    ]);
    expect(t.start('pricing')).toBe(t.end('classify'));
    expect(t.start('legal')).toBe(t.end('classify'));
    expect(t.maxInFlight()).toBe(2);
    expect(t.calls.some((c) => c.title === 'tech')).toBe(false);
  });

  it('WCP-7 Structured Synchronizing Merge: the join waits for every branch taken, and only those', async () => {
    const t = team({ work: classifying('short long', { short: 50, long: 300, join: 10 }) });
    const result = await t.run(
      workflow([
        task('classify'),
        {
          multi_choice: [
            { when: 'outputs.classify contains "short"', steps: [task('short')] },
            { when: 'outputs.classify contains "long"', steps: [task('long')] },
            { when: 'outputs.classify contains "never"', steps: [task('skipped')] },
          ],
        },
        task('join'),
      ]),
    );
    expect(statuses(result)).toEqual([
      ['classify', 'completed'],
      ['short', 'completed'],
      ['long', 'completed'],
      ['join', 'completed'],
    ]);
    // Waits for the slow taken branch (not just the first), and for nothing else (the untaken one).
    expect(t.start('join')).toBe(t.end('long'));
    expect(t.start('join')).toBeGreaterThan(t.end('short'));
    expect(t.prompt('join')).toContain('out:short');
    expect(t.prompt('join')).toContain('out:long');
    expect(t.calls.filter((c) => c.title === 'join')).toHaveLength(1);
  });

  it('Exclusive choice decided by an agent: the named agent picks a branch by label, and only that branch runs', async () => {
    const asked: { agent: string; prompt: string }[] = [];
    const t = team({
      structured: (name, request) => {
        if (name !== 'branch') return undefined;
        asked.push({ agent: agentOf(request), prompt: firstUserText(request) });
        return { branch: 'revise', reason: 'the draft is thin' };
      },
    });
    const result = await t.run(
      workflow([
        task('draft'),
        {
          id: 'gate',
          choice: {
            decide: { agent: 'cy', question: 'Is the draft ready to publish?' },
            branches: [
              { label: 'publish', steps: [task('publish')] },
              { label: 'revise', steps: [task('revise')] },
            ],
          },
        },
      ]),
    );
    expect(statuses(result)).toEqual([
      ['draft', 'completed'],
      ['revise', 'completed'],
    ]);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.agent).toBe('cy');
    expect(asked[0]!.prompt).toContain('Is the draft ready to publish?');
    expect(asked[0]!.prompt).toContain('publish, revise');
    expect(t.stepEvents().some((e) => e.step === 'gate' && e.detail === 'took revise')).toBe(true);
  });
});
