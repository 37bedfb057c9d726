import { describe, expect, it } from 'vitest';
import { ModelApiError, ModelResponseError } from '../../src/errors/model-errors.js';
import { createEventBus } from '../../src/events/bus.js';
import type { EventOf } from '../../src/events/types.js';
import { createModel } from '../../src/model/create-model.js';
import { manualClock } from '../../src/util/clock.js';
import { useAimock } from '../support/aimock.js';
import { providerCases, rejectionOf } from './helpers.js';

// Replies the SDKs accept at the HTTP level but that are not what the API sends: a 200 that is not a
// model reply, and an error body that echoes the API key. Both go through the real SDKs to the raw route.
const server = useAimock();

const HTML_PAGE = '<!doctype html><html><body><h1>Welcome to the captive portal</h1></body></html>';

describe.each(providerCases(server))('$name provider: a 200 reply that is not a model reply', (provider) => {
  const noReplyField = provider.name === 'anthropic' ? 'content' : 'choices';

  it('throws ModelResponseError naming the provider for an HTML page', async () => {
    const raw = server().raw;
    raw.reply({ status: 200, contentType: 'text/html', body: HTML_PAGE });
    const error = await rejectionOf(provider.model({ baseURL: provider.rawBaseURL(raw) }).generate({ prompt: 'hi' }));

    expect(error).toBeInstanceOf(ModelResponseError);
    expect(error).toMatchObject({ code: 'MODEL_RESPONSE_ERROR', provider: provider.name });
    expect(error.message).toContain(`${provider.name} returned an unreadable response`);
    expect((error as unknown as ModelResponseError).raw).toContain('captive portal');
  });

  it(`throws ModelResponseError saying what is missing for JSON without "${noReplyField}"`, async () => {
    const raw = server().raw;
    raw.reply({ status: 200, body: { id: 'x', status: 'queued' } });
    const error = await rejectionOf(provider.model({ baseURL: provider.rawBaseURL(raw) }).generate({ prompt: 'hi' }));

    expect(error).toBeInstanceOf(ModelResponseError);
    expect(error).toMatchObject({ code: 'MODEL_RESPONSE_ERROR', provider: provider.name });
    expect(error.message).toContain(noReplyField);
  });
});

describe.each(providerCases(server))('$name provider: an error body that echoes the API key', (provider) => {
  const apiKey = provider.name === 'anthropic' ? 'sk-ant-api03-Zq81LmNoPqRsTuVwXyZ0123456789-abcd' : 'sk-proj-Zq81LmNoPqRsTuVwXyZ0123456789wxyz';
  const masked = provider.name === 'anthropic' ? 'sk-ant-…abcd' : 'sk-…wxyz';

  it('masks the key in the error message, its fields and the model.call.failed event', async () => {
    const raw = server().raw;
    // A second key-shaped string the model was not configured with is masked too.
    const other = 'sk-live0987654321ZYXWVU';
    raw.reply({
      status: 401,
      body: { type: 'error', error: { type: 'authentication_error', message: `Incorrect API key provided: ${apiKey} (also tried ${other})` } },
      headers: { 'x-echo-key': apiKey },
    });
    const clock = manualClock();
    const events = createEventBus({ clock });
    const failed: EventOf<'model.call.failed'>[] = [];
    events.onType('model.call.failed', (e) => failed.push(e));
    const model = createModel(
      { provider: provider.name as 'anthropic' | 'openai', model: 'm', apiKey, baseURL: provider.rawBaseURL(raw) },
      { env: {}, events, clock, resilience: { retry: { maxRetries: 0 } } },
    );
    const error = await rejectionOf(model.generate({ prompt: 'hi' }));

    expect(error).toBeInstanceOf(ModelApiError);
    expect(error.message).toContain(`Incorrect API key provided: ${masked}`);
    expect(error.message).toContain('sk-…XWVU');
    const { cause: _cause, ...fields } = error;
    const serialised = JSON.stringify({ ...fields, message: error.message });
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toContain(masked);
    for (const text of [error.message, serialised, JSON.stringify(failed[0]), String(error.stack)]) {
      expect(text).not.toContain(apiKey);
      expect(text).not.toContain(other);
    }
    // The SDK's error stays the cause, masked too, so printing the chain cannot show the key.
    expect(String((error.cause as Error).message)).not.toContain(apiKey);
    expect(String((error.cause as Error).stack)).not.toContain(apiKey);
    expect(JSON.stringify((error.cause as { error?: unknown }).error)).not.toContain(apiKey);
  });
});
