import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../events/bus.js';
import type { EventOf } from '../../events/types.js';
import { manualClock } from '../../util/clock.js';
import { createBreakerRegistry, createCircuitBreaker } from './breaker.js';
import { CircuitOpenError } from './circuit-open-error.js';

const settings = { failureThreshold: 2, cooldownMs: 5000 };

function setup() {
  const clock = manualClock();
  const events = createEventBus({ clock });
  const changes: EventOf<'model.breaker'>[] = [];
  events.onType('model.breaker', (e) => changes.push(e));
  return { clock, events, changes };
}

describe('circuit breaker', () => {
  it('opens, rejects fast, probes after the cooldown and closes, reporting each change', async () => {
    const { clock, events, changes } = setup();
    const breaker = createCircuitBreaker('https://api.example', settings, { clock, events });
    breaker.admit().failure();
    breaker.admit().failure();
    expect(breaker.state()).toBe('open');
    expect(() => breaker.admit()).toThrow(CircuitOpenError);
    await clock.advance(5000);
    const probe = breaker.admit();
    expect(probe.probe).toBe(true);
    probe.success();
    expect(breaker.state()).toBe('closed');
    expect(changes.map((c) => `${c.from}->${c.to}@${c.at}`)).toEqual(['closed->open@0', 'open->half-open@5000', 'half-open->closed@5000']);
    expect(changes.every((c) => c.endpoint === 'https://api.example')).toBe(true);
  });

  it('names the endpoint and the wait in the rejection', () => {
    const { clock } = setup();
    const breaker = createCircuitBreaker('anthropic', settings, { clock });
    breaker.admit().failure();
    breaker.admit().failure();
    try {
      breaker.admit();
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'MODEL_CIRCUIT_OPEN', endpoint: 'anthropic', retryInMs: 5000 });
      expect((error as Error).message).toContain('"anthropic"');
    }
  });

  it('takes one report per call: a second report of the same ticket is ignored', () => {
    const { clock } = setup();
    const breaker = createCircuitBreaker('e', settings, { clock });
    const ticket = breaker.admit();
    ticket.failure();
    ticket.failure();
    expect(breaker.state()).toBe('closed');
  });

  it('shares one breaker per endpoint through a registry', () => {
    const { clock } = setup();
    const registry = createBreakerRegistry();
    const a = registry.get('https://host', settings, { clock });
    const b = registry.get('https://host', { failureThreshold: 99, cooldownMs: 1 }, { clock });
    const other = registry.get('https://other', settings, { clock });
    expect(b).toBe(a);
    expect(other).not.toBe(a);
    a.admit().failure();
    b.admit().failure();
    expect(b.state()).toBe('open');
    expect(other.state()).toBe('closed');
  });
});
