import { describe, expect, it } from 'vitest';
import { copyWith } from './copy-with.js';

describe('copyWith', () => {
  it('copies the object with one property set, as a spread would, and leaves the source alone', () => {
    const source = { a: 1, b: { nested: true }, c: 'x' };
    const copy = copyWith(source, 'c', 'y');
    expect(copy).toEqual({ ...source, c: 'y' });
    expect(Object.keys(copy)).toEqual(Object.keys({ ...source, c: 'y' }));
    expect(copy.b).toBe(source.b);
    expect(source.c).toBe('x');
    expect(copyWith({ a: 1 }, 'added', 2)).toEqual({ a: 1, added: 2 });
  });
});
