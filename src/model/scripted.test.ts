import { describe, expect, it } from 'vitest';
import { AbortedError } from '../errors/taskforce-error.js';
import { manualClock } from '../util/clock.js';
import { scriptedModel, ScriptError } from './scripted.js';
import { countTokens } from './tokens.js';

const ask = (text: string) => ({ messages: [{ role: 'user' as const, content: text }] });

describe('scripted model', () => {
  it('replies in order, counts usage with the runtime estimate and fails on a call past the script', async () => {
    const model = scriptedModel({ replies: ['first answer', { toolCalls: [{ name: 'search', input: { q: 'x' } }] }] });
    const a = await model.doGenerate(ask('hello'));
    expect(a).toMatchObject({ text: 'first answer', stopReason: 'end_turn', toolCalls: [] });
    expect(a.usage.outputTokens).toBe(countTokens('first answer'));
    expect(a.usage.inputTokens).toBeGreaterThan(0);
    const b = await model.doGenerate(ask('again'));
    expect(b).toMatchObject({ stopReason: 'tool_use', toolCalls: [{ id: 'call_2_1', name: 'search', input: { q: 'x' } }] });
    await expect(model.doGenerate(ask('one too many'))).rejects.toThrow(/has 2 replies but got call #3.*one too many/);
  });

  it('keeps every request for assertions, or none with keepRequests: false', async () => {
    const kept = scriptedModel({ replies: () => 'ok' });
    const dropped = scriptedModel({ replies: () => 'ok', keepRequests: false });
    for (const model of [kept, dropped]) {
      await model.doGenerate(ask('one'));
      await model.doGenerate(ask('two'));
    }
    expect(kept.requests.map((r) => r.messages[0]!.content)).toEqual(['one', 'two']);
    expect(dropped.requests).toEqual([]);
    expect(dropped.calls).toBe(2);
  });

  it('reports unused replies', async () => {
    const model = scriptedModel({ replies: ['a', 'b'] });
    await model.doGenerate(ask('q'));
    expect(() => model.assertAllUsed()).toThrow(ScriptError);
  });

  it('answers from a function of the request and streams the text in chunks', async () => {
    const model = scriptedModel({ replies: (req, i) => `#${i}: ${req.messages.at(-1)?.content}`, chunkSize: 4 });
    const parts: string[] = [];
    let final = '';
    for await (const part of model.doStream(ask('ping'))) {
      if (part.type === 'text-delta') parts.push(part.text);
      else final = part.result.text;
    }
    expect(parts).toEqual(['#0: ', 'ping']);
    expect(final).toBe('#0: ping');
  });

  it('simulates latency on the injected clock', async () => {
    const clock = manualClock();
    const model = scriptedModel({ replies: ['late'], latencyMs: 20, clock });
    let done = false;
    const pending = model.doGenerate(ask('q')).then((r) => {
      done = true;
      return r;
    });
    await clock.advance(19);
    expect(done).toBe(false);
    await clock.advance(1);
    expect((await pending).text).toBe('late');
  });

  it('rejects a call whose signal has fired with AbortedError', async () => {
    const model = scriptedModel({ replies: ['never'] });
    const controller = new AbortController();
    controller.abort('caller left');
    const error = await model.doGenerate({ ...ask('q'), signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).toMatchObject({ code: 'ABORTED', cause: 'caller left' });
  });

  it('throws the scripted error', async () => {
    const model = scriptedModel({ replies: [{ error: new Error('boom') }] });
    await expect(model.doGenerate(ask('q'))).rejects.toThrow('boom');
  });
});
