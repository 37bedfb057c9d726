import { describe, expect, it } from 'vitest';
import type { TaskforceEvent } from '../../events/types.js';
import { neutralDecisionSummary } from './decision.js';
import { escapeHtml } from './escape.js';
import { renderAnswer } from './render-answer.js';
import { renderRunHtml } from './render-html.js';

const EVIL = `<img src=x onerror="alert(1)"></script><script>alert('x')</script>&`;

const usage = { inputTokens: 1200, outputTokens: 34 };
const RUN: TaskforceEvent[] = [
  { type: 'run.started', at: 1000, runId: 'r1', goal: `Goal ${EVIL}`, depth: 0 },
  { type: 'task.started', at: 1000, runId: 'r1', taskId: 'market', title: `Title ${EVIL}`, attempt: 1 },
  { type: 'task.started', at: 1000, runId: 'r1', taskId: 'costs', title: 'Costs', attempt: 1 },
  { type: 'model.call.started', at: 1000, runId: 'r1', callId: 'c1', provider: 'p', model: 'm', taskId: 'market', agent: 'researcher' },
  { type: 'model.call.started', at: 1000, runId: 'r1', callId: 'c2', provider: 'p', model: 'm', taskId: 'costs', agent: 'analyst' },
  { type: 'model.call.finished', at: 1100, runId: 'r1', callId: 'c1', provider: 'p', model: 'm', usage, costUsd: 0.0123, durationMs: 100, taskId: 'market', agent: 'researcher' },
  { type: 'model.call.finished', at: 1200, runId: 'r1', callId: 'c2', provider: 'p', model: 'm', usage, costUsd: 0.0123, durationMs: 200, taskId: 'costs', agent: 'analyst' },
  { type: 'agent.assigned', at: 1100, runId: 'r1', taskId: 'market', agent: 'researcher', strategy: 'direct' },
  { type: 'strategy.decision', at: 1100, runId: 'r1', taskId: 'market', strategy: 'direct', decision: { agent: 'researcher', score: 0.8, note: EVIL } },
  { type: 'task.completed', at: 1100, runId: 'r1', taskId: 'market', durationMs: 100 },
  { type: 'task.failed', at: 1200, runId: 'r1', taskId: 'costs', error: `Failed ${EVIL}`, willRetry: false },
  { type: 'run.completed', at: 1300, runId: 'r1', durationMs: 300, usage, costUsd: 0.0246 },
];

describe('escapeHtml', () => {
  it('turns every character that could end a text run or an attribute into an entity', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });
});

describe('renderRunHtml', () => {
  const html = renderRunHtml(RUN, { title: `Mine ${EVIL}`, answer: `# Plan ${EVIL}\n\nBuy tools [market]. Pay [costs, market]. Not a cite [nope] or a [link](http://x).`, outputs: { 'r1/market': `Output ${EVIL}` } });

  it('lets no text from the run, the options or the outputs into the page as markup', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror="');
    expect(html).not.toContain("<script>alert('x')");
    // Every <script> on the page is the viewer's own, one.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('Goal &lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;/script&gt;');
    expect(html).toContain('Output &lt;img');
    expect(html).toContain('Failed &lt;img');
    expect(html).toContain('<title>Mine &lt;img');
  });

  it('is one self-contained file: no external script, style, font or image, and a policy that forbids fetching', () => {
    expect(html).not.toMatch(/<(link|img|iframe|object|embed|video|audio|source)\b/i);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/url\(/);
    expect(html).toContain(`content="default-src 'none';`);
  });

  it('shows each task with its agent, decision, status, tokens and cost, and its details', () => {
    expect(html).toContain('data-key="r1/market"');
    expect(html).toMatch(/class="task" data-key="r1\/market"[\s\S]*?researcher · direct: chose researcher \(score 0\.80\)/);
    expect(html).toMatch(/class="task" data-key="r1\/costs"[\s\S]*?failed/);
    expect(html).toContain('1 call · 1,200 in / 34 out · $0.0123');
    expect(html).toMatch(/<article data-details="r1\/market" hidden>/);
    // The run's subtree adds both tasks.
    expect(html).toContain('subtree 2 calls · 2,400 in / 68 out · $0.0246');
  });

  it('draws a bar per task and per model call in the timeline, placed by time', () => {
    expect(html).toMatch(/class="bar task-bar st-completed" data-key="r1\/market" style="left:0\.000%;width:33\.333%"/);
    expect(html).toMatch(/class="bar call-bar" data-key="r1\/costs" style="left:0\.000%;width:66\.667%"/);
    // The two calls overlapped: two lanes.
    expect(html).toContain('up to 2 at once');
  });

  it('links citations of known tasks and leaves other brackets as text', () => {
    expect(html).toContain('[<a class="cite" href="#task-r1/market" data-key="r1/market">market</a>]');
    expect(html).toContain('[<a class="cite" href="#task-r1/costs" data-key="r1/costs">costs</a>, <a class="cite" href="#task-r1/market" data-key="r1/market">market</a>]');
    expect(html).toContain('[nope]');
    expect(html).toContain('<h3>Plan &lt;img');
  });

  it('says where the answer comes from when it has none, and renders an empty trace', () => {
    expect(renderAnswer(undefined, () => undefined)).toContain('--result');
    const empty = renderRunHtml([]);
    expect(empty).toContain('The trace has no run.');
    expect(empty).toContain('<title>Taskforce run (empty trace)</title>');
  });

  it('uses the summariser it is given, and survives one that throws', () => {
    expect(renderRunHtml(RUN, { summarizeDecision: (s) => `custom ${s}` })).toContain('custom direct');
    expect(
      renderRunHtml(RUN, {
        summarizeDecision: () => {
          throw new Error('odd decision');
        },
      }),
    ).toContain('researcher · direct');
  });
});

describe('neutralDecisionSummary', () => {
  it('names who got the task and the figure that decided it', () => {
    expect(neutralDecisionSummary('auction', { winner: 'a', assigned: 'a', payment: { paid: 2.5 } })).toBe('auction: assigned to a (paid 2.50)');
    expect(neutralDecisionSummary('hierarchical', { leader: 'boss' })).toBe('hierarchical: leader boss');
    expect(neutralDecisionSummary('stigmergy', { pick: 'b' })).toBe('stigmergy: picked b');
    expect(neutralDecisionSummary('auction', { outcome: 'no-sale' })).toBe('auction: no sale');
    expect(neutralDecisionSummary('x', { error: 'boom' })).toBe('x: failed');
    expect(neutralDecisionSummary('custom', 42)).toBe('custom');
  });
});
