import { describe, expect, it } from 'vitest';
import { createEventStream } from './event-stream.js';

type E = { readonly kind: 'life'; readonly n: number } | { readonly kind: 'delta'; readonly text: string };

const life = (n: number): E => ({ kind: 'life', n });
const delta = (text: string): E => ({ kind: 'delta', text });
const sheddable = (e: E) => e.kind === 'delta';
const coalesce = (a: E, b: E): E | undefined => (a.kind === 'delta' && b.kind === 'delta' ? delta(a.text + b.text) : undefined);

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

describe('createEventStream', () => {
  it('delivers buffered events in order, then ends', async () => {
    const stream = createEventStream<E>();
    stream.push(life(1));
    stream.push(delta('x'));
    stream.end();
    stream.push(life(2));
    expect(await drain(stream)).toEqual([life(1), delta('x')]);
  });

  it('hands an event straight to a consumer that is waiting', async () => {
    const stream = createEventStream<E>();
    const next = stream.next();
    stream.push(life(1));
    expect(await next).toEqual({ done: false, value: life(1) });
  });

  it('merges deltas past the capacity and keeps every other event', async () => {
    const stream = createEventStream<E>({ capacity: 2, sheddable, coalesce });
    [life(1), life(2), delta('a'), delta('b'), life(3), delta('c'), delta('d')].forEach((e) => stream.push(e));
    stream.end();
    expect(await drain(stream)).toEqual([life(1), life(2), delta('ab'), life(3), delta('cd')]);
    expect(stream.dropped).toBe(0);
  });

  it('drops and counts sheddable events that cannot merge once full', async () => {
    const stream = createEventStream<E>({ capacity: 1, sheddable });
    [delta('a'), delta('b'), delta('c'), life(1)].forEach((e) => stream.push(e));
    stream.end();
    expect(await drain(stream)).toEqual([delta('a'), life(1)]);
    expect(stream.dropped).toBe(2);
  });

  it('throws the producer error after the buffered events', async () => {
    const stream = createEventStream<E>();
    stream.push(life(1));
    stream.fail(new Error('boom'));
    const seen: E[] = [];
    await expect(async () => {
      for await (const e of stream) seen.push(e);
    }).rejects.toThrow('boom');
    expect(seen).toEqual([life(1)]);
  });

  it('aborts the controller when the consumer breaks out early, and ignores later events', async () => {
    const controller = new AbortController();
    const stream = createEventStream<E>({ controller });
    stream.push(life(1));
    stream.push(life(2));
    for await (const _ of stream) break;
    expect(controller.signal.aborted).toBe(true);
    expect(controller.signal.reason).toMatchObject({ code: 'ABORTED' });
    expect(stream.cancelled).toBe(true);
    stream.push(life(3));
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('does not abort when the consumer leaves after the producer ended', async () => {
    const controller = new AbortController();
    const stream = createEventStream<E>({ controller });
    stream.push(life(1));
    stream.end();
    for await (const _ of stream) break;
    expect(controller.signal.aborted).toBe(false);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => createEventStream({ capacity: 0 })).toThrow(/capacity must be a positive integer/);
  });
});
