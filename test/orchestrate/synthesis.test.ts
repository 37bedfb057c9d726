import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { orchestrate } from '../../src/orchestrate/orchestrate.js';
import { SynthesisError } from '../../src/synthesis/errors.js';
import { scripted } from './helpers.js';
import { firstUserText, kindOf } from './script.js';

const PLANS = { bikes: [{ id: 'motors', capabilities: ['research'] }, { id: 'frames', capabilities: ['research'] }, { id: 'report', capabilities: ['writing'], dependsOn: ['motors', 'frames'] }] };

describe('orchestrate: synthesis', () => {
  it('merges the completed results with the goal in view, citing task ids', async () => {
    const { options, provider } = scripted({
      plans: PLANS,
      synthesize: () => 'Hub motors suit city bikes. [motors, frames]\n\nThe report agrees. [report]',
    });

    const result = await orchestrate('Write about bikes', options);

    expect(result.output).toBe('Hub motors suit city bikes. [motors, frames]\n\nThe report agrees. [report]');
    expect(result.tree.synthesis).toMatchObject({
      passed: true,
      attempts: 1,
      citations: [
        { part: 'Hub motors suit city bikes.', taskIds: ['motors', 'frames'] },
        { part: 'The report agrees.', taskIds: ['report'] },
      ],
    });
    const prompt = firstUserText(provider.requests.find((r) => kindOf(r) === 'synthesizer')!);
    expect(prompt).toContain('Write about bikes');
    expect(prompt).toContain('<result id="motors" title="Do motors" agents="ada">\nada did Do motors.\n</result>');
    expect(prompt).toContain('<result id="report" title="Do report" agents="cy">');
  });

  it('re-asks when an answer cites an id that is not a result, and records the failed check', async () => {
    let calls = 0;
    const { options } = scripted({ plans: PLANS, synthesize: (ids) => (calls++ === 0 ? 'Bikes are good. [wheels]' : ids.map((id) => `About ${id}. [${id}]`).join('\n\n')) });
    const result = await orchestrate('Write about bikes', options);
    expect(result.tree.synthesis).toMatchObject({ passed: true, attempts: 2 });
    expect(result.tree.synthesis!.checks.filter((c) => !c.passed)).toEqual([expect.objectContaining({ attempt: 1, check: 'citations' })]);
    expect(result.output).toBe('About motors. [motors]\n\nAbout frames. [frames]\n\nAbout report. [report]');
  });

  it('returns the schema-validated value for outputSchema; sub-runs still merge text', async () => {
    const Report = z.object({ verdict: z.string(), reasons: z.array(z.string()) });
    const { options, provider } = scripted(
      {
        plans: { L1: [{ id: 'x' }, { id: 'y' }], bikes: [{ id: 'motors' }, { id: 'deep', decomposable: true, instructions: 'Go to L1.' }] },
        structured: (name) =>
          name === 'synthesis'
            ? { answer: { verdict: 'hub motors', reasons: ['cheap', 'quiet'] }, citations: [{ part: 'verdict', taskIds: ['motors', 'deep'] }] }
            : undefined,
      },
      { outputSchema: Report },
    );

    const result = await orchestrate('Write about bikes', options);

    expect(result.output).toEqual({ verdict: 'hub motors', reasons: ['cheap', 'quiet'] });
    expect(result.tree.output).toBe(JSON.stringify(result.output));
    expect(result.tree.synthesis?.citations).toEqual([{ part: 'verdict', taskIds: ['motors', 'deep'] }]);
    expect(provider.requests.filter((r) => r.responseFormat?.name === 'synthesis')).toHaveLength(1);
    expect(result.tree.tasks[1]!.subRuns[0]!.output).toBe('Merged x. [x]\n\nMerged y. [y]');
  });

  it('passes the rubric to a judge and re-asks with its reasons', async () => {
    let verdicts = 0;
    const { options, provider } = scripted(
      { plans: PLANS, structured: (name) => (name === 'verdict' ? (verdicts++ === 0 ? { pass: false, reasons: ['name a price range'] } : { pass: true, reasons: [] }) : undefined) },
      { rubric: 'Names a price range.' },
    );

    const result = await orchestrate('Write about bikes', options);

    expect(result.tree.synthesis).toMatchObject({ passed: true, attempts: 2 });
    expect(result.tree.synthesis!.checks.find((c) => c.check === 'rubric' && !c.passed)?.problems).toEqual(['rubric: name a price range']);
    const retry = provider.requests.filter((r) => kindOf(r) === 'synthesizer')[1]!;
    expect(retry.messages.at(-1)?.content).toContain('name a price range');
    expect(firstUserText(provider.requests.find((r) => r.responseFormat?.name === 'verdict')!)).toContain('Names a price range.');
  });

  it('strict: throws SynthesisError when no attempt passes, after reporting the run as failed', async () => {
    const { options, events } = scripted(
      { plans: PLANS, structured: (name) => (name === 'verdict' ? { pass: false, reasons: ['too vague'] } : undefined) },
      { rubric: 'Names a price range.', strict: true, synthesis: { maxAttempts: 2 } },
    );

    const error = await orchestrate('Write about bikes', options).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SynthesisError);
    expect((error as SynthesisError).problems).toEqual(['rubric: too vague']);
    expect(events.filter((e) => e.type === 'synthesis.attempt')).toHaveLength(2);
    expect(events.find((e) => e.type === 'run.failed')).toMatchObject({ code: 'SYNTHESIS_FAILED' });
    expect(events.some((e) => e.type === 'run.completed')).toBe(false);
  });
});
